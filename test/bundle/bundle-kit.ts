/**
 * The single-file bundle laid out as the migration image lays it out (Dockerfile, stage
 * `runtime`): the files of dist/bundle/ plus node_modules/better-sqlite3 (its package.json, lib/,
 * build/Release/better_sqlite3.node) with `bindings` and `file-uri-to-path`, in an EMPTY folder
 * with no node_modules above it, so nothing can be resolved from the project.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ROOT, type CliResult } from '../helpers/cli.js';

/** Run scripts/bundle.mjs (what `npm run bundle` runs) into `outdir`; throws with its output on failure. */
export function buildBundle(outdir: string, extraArgs: readonly string[] = []): string {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/bundle.mjs'), '--outdir', outdir, ...extraArgs], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`scripts/bundle.mjs failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** The node_modules folders (if any) that Node would search from `dir` upwards. */
export function nodeModulesAbove(dir: string): string[] {
  const found: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) found.push(join(d, 'node_modules'));
    if (dirname(d) === d) return found;
  }
}

/** The Dockerfile's copy of better-sqlite3 into `<dir>/node_modules`. */
export function copySqliteAddon(dir: string): void {
  const nm = join(ROOT, 'node_modules');
  const to = join(dir, 'node_modules');
  mkdirSync(join(to, 'better-sqlite3/build/Release'), { recursive: true });
  cpSync(join(nm, 'better-sqlite3/package.json'), join(to, 'better-sqlite3/package.json'));
  cpSync(join(nm, 'better-sqlite3/lib'), join(to, 'better-sqlite3/lib'), { recursive: true });
  cpSync(join(nm, 'better-sqlite3/build/Release/better_sqlite3.node'), join(to, 'better-sqlite3/build/Release/better_sqlite3.node'));
  cpSync(join(nm, 'bindings'), join(to, 'bindings'), { recursive: true });
  cpSync(join(nm, 'file-uri-to-path'), join(to, 'file-uri-to-path'), { recursive: true });
}

/**
 * A fresh image-like folder: the bundle's files, the SQLite addon, and `migrations` copied to
 * `<app>/migrations` when given. Fails if a node_modules folder is reachable from above it.
 */
export function imageFolder(bundleDir: string, migrationsDir?: string, prefix = 'godwit-bundle-app-'): string {
  const app = mkdtempSync(join(tmpdir(), prefix));
  const above = nodeModulesAbove(dirname(app));
  if (above.length > 0) throw new Error(`the temp folder ${app} sees node_modules above it (${above.join(', ')}): the bundle test needs an isolated folder`);
  for (const f of readdirSync(bundleDir)) cpSync(join(bundleDir, f), join(app, f), { recursive: true });
  copySqliteAddon(app);
  if (migrationsDir) cpSync(migrationsDir, join(app, 'migrations'), { recursive: true });
  return app;
}

/** Environment for a process in the image: no project paths, no loader flags, no inherited database. */
export function imageEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['NODE_OPTIONS', 'NODE_PATH', 'GODWIT_DATABASE_URL', 'DATABASE_URL', 'GODWIT_DIR', 'TSX_TSCONFIG_PATH']) delete env[k];
  return { ...env, ...extra };
}

/** Run `node <app>/<file> ...args` with cwd `app` (like the image's `godwit` wrapper). */
export function runIn(app: string, file: string, args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((resolveResult, reject) => {
    const child = spawn(process.execPath, [join(app, file), ...args], { cwd: app, env: imageEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveResult({ code, signal, stdout, stderr });
    });
  });
}

export function show(r: CliResult): string {
  return `exit ${r.code} ${r.signal ?? ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

export const tempRoot = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/**
 * Tools for the Kubernetes pattern scenarios: the built CLI and small app scripts as real OS
 * processes, migrations that leave a mark per application (to count "exactly once"), and a gate
 * the test opens (a code migration that waits for a file), so "while migrating" is a state the
 * test holds, not a sleep.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startCli, tempDir, until, type CliOptions, type CliResult } from '../helpers/cli.js';
import type { TestDb } from '../helpers/databases.js';

/** Generous: a gate, never a speed bound. A hung scenario fails instead of hanging CI. */
export const PATIENCE_MS = 180_000;

/** A running process, its output so far, and its result once it exited. */
export interface Proc {
  readonly child: ChildProcess;
  readonly done: Promise<CliResult>;
  readonly label: string;
  result(): CliResult | undefined;
  stdout(): string;
  stderr(): string;
  /** Parsed JSON lines of stdout (non-JSON lines skipped). */
  events(): Array<Record<string, unknown>>;
}

function tracked(label: string, child: ChildProcess, done: Promise<CliResult>): Proc {
  let out = '';
  let err = '';
  let result: CliResult | undefined;
  child.stdout!.on('data', (d: string | Buffer) => (out += String(d)));
  child.stderr!.on('data', (d: string | Buffer) => (err += String(d)));
  const finished = done.then((r) => (result = r));
  return {
    child,
    done: finished,
    label,
    result: () => result,
    stdout: () => out,
    stderr: () => err,
    events: () =>
      out
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .flatMap((l) => {
          try {
            return [JSON.parse(l) as Record<string, unknown>];
          } catch {
            return [];
          }
        }),
  };
}

/** Every process a scenario started, so `after` can end the ones a failed assertion left behind. */
export class Procs {
  private readonly all: Proc[] = [];

  /** The built CLI (dist/bin/godwit.mjs, the package's bin), as an initContainer or Job container runs it. */
  cli(label: string, args: readonly string[], options: CliOptions = {}): Proc {
    const { child, done } = startCli(args, { killAfterMs: PATIENCE_MS, ...options });
    const p = tracked(label, child, done);
    this.all.push(p);
    return p;
  }

  /** `node script` with env (an app process). */
  node(label: string, script: string, env: Record<string, string>): Proc {
    const child = spawn(process.execPath, [script], { cwd: ROOT, env: { ...cleanEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    const timer = setTimeout(() => child.kill('SIGKILL'), PATIENCE_MS);
    const done = new Promise<CliResult>((res) => {
      let out = '';
      let err = '';
      child.stdout.on('data', (d: string) => (out += d));
      child.stderr.on('data', (d: string) => (err += d));
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        res({ code, signal, stdout: out, stderr: err });
      });
    });
    const p = tracked(label, child, done);
    this.all.push(p);
    return p;
  }

  /** SIGKILL whatever still runs (by its own pid) and wait for it. */
  async killAll(): Promise<void> {
    for (const p of this.all) if (!p.result()) p.child.kill('SIGKILL');
    await Promise.all(this.all.map((p) => p.done));
  }
}

function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  for (const k of ['GODWIT_DATABASE_URL', 'DATABASE_URL', 'GODWIT_DIR', 'NODE_OPTIONS']) delete env[k];
  return env;
}

export function show(p: Proc | CliResult): string {
  const r = 'child' in p ? (p.result() ?? { code: null, signal: null, stdout: p.stdout(), stderr: p.stderr() }) : p;
  const label = 'label' in p ? `${p.label}: ` : '';
  return `${label}exit ${r.code} ${r.signal ?? ''}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
}

/** `--database URL --dir DIR` */
export const target = (db: TestDb, dir: string): string[] => ['--database', db.url, '--dir', dir];

/** The versions a `up --json` run applied, from its result line. */
export function appliedBy(p: Proc): number[] {
  const res = p.events().find((e) => e.type === 'result');
  if (!res) throw new Error(`no result line: ${show(p)}`);
  return res.applied as number[];
}

// ---- migrations ---------------------------------------------------------------------------------

/** A table without keys: a migration applied twice leaves two rows. */
export const MARKS_TABLE = 'CREATE TABLE marks (v INTEGER NOT NULL);\n';

/** A migration whose only effect is one mark row. */
export const markSql = (v: number, phase: 'pre' | 'post' = 'pre'): string => `${phase === 'post' ? '-- godwit:phase post\n' : ''}INSERT INTO marks (v) VALUES (${v});\n`;

/** How many marks each version left. */
export async function markCounts(db: TestDb): Promise<Record<number, number>> {
  const rows = await db.sql<{ v: unknown; n: unknown }>('SELECT v, COUNT(*) AS n FROM marks GROUP BY v ORDER BY v');
  return Object.fromEntries(rows.map((r) => [Number(r.v), Number(r.n)]));
}

/** A folder the test owns for gate files. */
export class Gate {
  readonly dir = mkdtempSync(join(tmpdir(), 'godwit-gate-'));
  constructor(readonly name = 'gate') {}

  /**
   * A code migration (.mjs) that marks `v`, after waiting for the gate: it writes
   * `<name>.entered.<pid>` and polls for `<name>.release`; a cancelled run (SIGTERM) stops waiting.
   */
  migration(v: number, phase: 'pre' | 'post' = 'pre'): string {
    const entered = JSON.stringify(join(this.dir, `${this.name}.entered.`));
    const release = JSON.stringify(join(this.dir, `${this.name}.release`));
    return `${phase === 'post' ? '// godwit:phase post\n' : ''}import { existsSync, writeFileSync } from 'node:fs';
export async function up(ctx) {
  writeFileSync(${entered} + process.pid, '');
  while (!existsSync(${release})) {
    if (ctx.signal.aborted) throw new Error('cancelled at the gate');
    await new Promise((r) => setTimeout(r, 50));
  }
  await ctx.exec('INSERT INTO marks (v) VALUES (${v})');
}
`;
  }

  /** Pids of the processes that reached the gate. */
  entered(): number[] {
    return readdirSync(this.dir)
      .filter((f) => f.startsWith(`${this.name}.entered.`))
      .map((f) => Number(f.slice(`${this.name}.entered.`.length)));
  }

  async waitEntered(count = 1): Promise<void> {
    await until(() => this.entered().length >= count, PATIENCE_MS, `${count} process(es) at gate ${this.name}`);
  }

  open(): void {
    writeFileSync(join(this.dir, `${this.name}.release`), '');
  }

  isOpen(): boolean {
    return existsSync(join(this.dir, `${this.name}.release`));
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Temp folders of one scenario, removed by `removeAll()` in its `after`. */
export class Dirs {
  private readonly all: string[] = [];
  make(files: Record<string, string>, prefix?: string): string {
    const d = tempDir(files, prefix);
    this.all.push(d);
    return d;
  }
  removeAll(): void {
    for (const d of this.all) rmSync(d, { recursive: true, force: true });
  }
}

export { until };

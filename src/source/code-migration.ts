/**
 * Code migrations: `<version>_<name>.ts|.mts|.js|.mjs` exporting `up(ctx)` and optionally
 * `down(ctx)` (named exports, or properties of the default export / `module.exports`).
 *
 * Nothing is imported until a body's `run` is called: listing, checksumming and planning a folder
 * of a thousand code migrations reads their text only. What the runner must know beforehand comes
 * from the text:
 * - directives are `// godwit:<name> [args]` comment lines (`// godwit:no-transaction`,
 *   `// godwit:phase post`, `// godwit:lint-ignore CODE reason`);
 * - whether there is a down: the text exports a `down` (`export function down`, `export const down`,
 *   `export { x as down }`, a `down` key in `export default {...}`, `exports.down =`, a `down`
 *   key in `module.exports = {...}`). If the text says so and the module does not export a down
 *   function when run, the run fails with `BadMigrationError` naming the file.
 *
 * Loading: `.mjs` with Node's own `import()`; `.ts`, `.mts` and `.js` through tsx's ESM API (so
 * TypeScript needs no build step, and a `.js` file with ESM syntax works whatever the nearest
 * package.json says). tsx is itself imported lazily, once, and registered in a private namespace
 * (its `register({ namespace })`, the same mechanism as `tsImport`, but registered once instead of
 * once per file). If tsx cannot be loaded, `.js` falls back to Node's `import()`.
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { BadMigrationError, messageOf } from '../core/errors.js';
import { DirectiveCollector, matchDirective } from './directives.js';
import type { CodeMigrationFn, Directive, MigrationBody, MigrationContext, Phase } from './migration.js';

export interface CodeMigrationInfo {
  readonly transaction: boolean;
  readonly phase: Phase;
  readonly directives: readonly Directive[];
  /** Whether the source text exports a `down` (see the module comment for the forms recognised). */
  readonly hasDown: boolean;
}

/** Read a code migration's directives and whether it has a down, from its text alone. */
export function scanCodeMigration(file: string, text: string): CodeMigrationInfo {
  const collector = new DirectiveCollector(file);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const d = matchDirective(lines[i]!, 'code', file, i + 1);
    if (!d) continue;
    if (d.name === 'up' || d.name === 'down') {
      throw new BadMigrationError(`${file}:${i + 1}: "// godwit:${d.name}" has no place in a code migration: export functions named up and down instead.`, {
        file,
        line: i + 1,
      });
    }
    collector.add(d);
  }
  return { transaction: !collector.noTransaction, phase: collector.phase, directives: collector.directives, hasDown: exportsName(text, 'down') };
}

/** Whether module source text exports `name` (heuristic on the text, comments removed). */
export function exportsName(text: string, name: string): boolean {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/(^|[^:\\'"`])\/\/[^\n]*/g, '$1');
  const n = name;
  const direct = new RegExp(`\\bexport\\s+(?:async\\s+)?function\\s*\\*?\\s*${n}\\b|\\bexport\\s+(?:const|let|var)\\s+${n}\\b|\\b(?:module\\.)?exports\\.${n}\\s*=`);
  if (direct.test(src)) return true;
  for (const m of src.matchAll(/\bexport\s*(?:type\s*)?\{([^}]*)\}/g)) {
    if (/^\s*export\s*type/.test(m[0])) continue;
    for (const spec of m[1]!.split(',')) {
      const parts = spec.trim().split(/\s+as\s+/);
      if (parts[parts.length - 1]!.trim() === n) return true;
    }
  }
  for (const m of src.matchAll(/\b(?:export\s+default|module\.exports\s*=)\s*\{/g)) {
    const body = balancedBraces(src, m.index! + m[0].length - 1);
    if (new RegExp(`(?:^|[,{\\s])(?:async\\s+)?${n}\\s*(?:[(:,}]|$)`).test(body)) return true;
  }
  return false;
}

function balancedBraces(src: string, open: number): string {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    if (src[i] === '{') depth++;
    else if (src[i] === '}' && --depth === 0) return src.slice(open, i + 1);
  }
  return src.slice(open);
}

/** A code migration module as imported: the functions it exports. */
export interface CodeMigrationModule {
  readonly up?: unknown;
  readonly down?: unknown;
}

interface ScopedImporter {
  import(specifier: string, parentURL: string): Promise<unknown>;
}

let tsxImporter: Promise<ScopedImporter> | undefined;
const modules = new Map<string, Promise<CodeMigrationModule>>();

function loadTsx(): Promise<ScopedImporter> {
  tsxImporter ??= import('tsx/esm/api').then(({ register }) => register({ namespace: `godwit-${randomUUID()}` }));
  return tsxImporter;
}

/**
 * Import a code migration (once per process; later calls share the module). Throws
 * `BadMigrationError` naming the file when it cannot be loaded.
 */
export function importCodeMigration(file: string): Promise<CodeMigrationModule> {
  let p = modules.get(file);
  if (!p) {
    p = importFresh(file);
    modules.set(file, p);
    p.catch(() => modules.delete(file));
  }
  return p;
}

async function importFresh(file: string): Promise<CodeMigrationModule> {
  const url = pathToFileURL(file).href;
  let ns: unknown;
  try {
    if (file.endsWith('.mjs')) ns = await import(url);
    else {
      let tsx: ScopedImporter | undefined;
      try {
        tsx = await loadTsx();
      } catch (e) {
        tsxImporter = undefined;
        if (!file.endsWith('.js')) {
          throw new BadMigrationError(`${file}: loading a TypeScript migration needs the "tsx" package, which could not be loaded (${messageOf(e)}).`, { file });
        }
      }
      ns = tsx ? await tsx.import(url, import.meta.url) : await import(url);
    }
  } catch (e) {
    if (e instanceof BadMigrationError) throw e;
    throw new BadMigrationError(`${file}: the code migration could not be loaded: ${messageOf(e)}`, { file, cause: messageOf(e) });
  }
  return exportsOf(ns);
}

/** Named exports win; otherwise the default export's (or CommonJS module.exports') properties. */
function exportsOf(ns: unknown): CodeMigrationModule {
  const rec = (ns ?? {}) as Record<string, unknown>;
  const dflt = rec['default'];
  const d = dflt !== null && (typeof dflt === 'object' || typeof dflt === 'function') ? (dflt as Record<string, unknown>) : {};
  return { up: rec['up'] ?? d['up'], down: rec['down'] ?? d['down'] };
}

/** The function a direction needs, or BadMigrationError naming the file. */
async function exportedFn(file: string, direction: 'up' | 'down'): Promise<CodeMigrationFn> {
  const mod = await importCodeMigration(file);
  const fn = mod[direction];
  if (typeof fn !== 'function') {
    const how = direction === 'up' ? 'export async function up(ctx) { ... }' : 'export async function down(ctx) { ... }';
    throw new BadMigrationError(`${file}: the code migration does not export a "${direction}" function (${fn === undefined ? 'missing' : `found ${typeof fn}`}). Add: ${how}`, {
      file,
    });
  }
  return fn as CodeMigrationFn;
}

/** A lazy body: imports the module when `run` is first called. */
export function codeBody(file: string, direction: 'up' | 'down'): MigrationBody {
  return {
    kind: 'code',
    file,
    run: async (ctx: MigrationContext): Promise<void> => {
      const fn = await exportedFn(file, direction);
      await fn(ctx);
    },
  };
}

/**
 * Import a code migration and check its exports without running it (`godwit validate`): an `up`
 * function, and a `down` function when `expectDown`. Throws `BadMigrationError`.
 */
export async function checkCodeMigration(file: string, expectDown: boolean): Promise<void> {
  await exportedFn(file, 'up');
  if (expectDown) await exportedFn(file, 'down');
}

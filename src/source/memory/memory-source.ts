/**
 * In-code migrations for the library (`createMigrator({ migrations: [...] })`).
 *
 *   { version: 1, name: 'create_users', up: 'CREATE TABLE users (...)', down: 'DROP TABLE users' }
 *   { version: 2, name: 'backfill', up: async (ctx) => { await ctx.exec('...') }, transaction: false }
 *
 * Validated eagerly by `createMemorySource` (`BadMigrationError`): versions are safe integers >= 1
 * and unique, names non-empty, SQL up text not empty, `godwit:` directive lines in SQL text known
 * (`-- godwit:up`/`down` markers are refused: up and down are separate fields). The SQL text's
 * `-- godwit:no-transaction` / `-- godwit:phase` apply unless `transaction` / `phase` are given.
 *
 * Checksum: of the up SQL text (line endings normalised), or of `up.toString()` for a function,
 * so editing an applied migration's up is detected; the down is not part of it (as for pairs).
 * Refs are labelled `memory:<version>_<name>` in place of file paths.
 */
import { BadMigrationError } from '../../core/errors.js';
import { checksumOf } from '../checksum.js';
import { DirectiveCollector, matchDirective } from '../directives.js';
import type { CodeMigrationFn, LoadedMigration, MigrationBody, MigrationRef, MigrationSource, Phase, SqlSegment } from '../migration.js';
import { segmentOfLines } from '../sql-text.js';

export interface MemoryMigration {
  readonly version: number;
  readonly name: string;
  /** SQL text (split by the dialect) or a function receiving the migration context. */
  readonly up: string | CodeMigrationFn;
  readonly down?: string | CodeMigrationFn;
  /** Default true (or false when the SQL says `-- godwit:no-transaction`). */
  readonly transaction?: boolean;
  /** Default 'pre' (or what the SQL says with `-- godwit:phase`). */
  readonly phase?: Phase;
}

export function createMemorySource(defs: readonly MemoryMigration[]): MigrationSource {
  if (!Array.isArray(defs)) throw new BadMigrationError('migrations must be an array of { version, name, up, down? } objects.');
  const seen = new Map<number, string>();
  const loaded: LoadedMigration[] = defs.map((def, i) => {
    const m = loadMemoryMigration(def, i);
    const other = seen.get(m.ref.version);
    if (other !== undefined) {
      throw new BadMigrationError(`migrations ${other} and ${m.ref.id} have the same version ${m.ref.version}. Each version must be used once.`, {
        file: m.ref.upFile,
        version: m.ref.version,
      });
    }
    seen.set(m.ref.version, m.ref.id);
    return m;
  });
  loaded.sort((a, b) => a.ref.version - b.ref.version);
  const byVersion = new Map(loaded.map((m) => [m.ref.version, m]));
  const refs = Object.freeze(loaded.map((m) => m.ref));
  const find = (ref: MigrationRef): LoadedMigration => {
    const m = byVersion.get(ref.version);
    if (!m) throw new BadMigrationError(`no in-code migration has version ${ref.version}.`, { version: ref.version });
    return m;
  };
  return Object.freeze({
    list: async (): Promise<readonly MigrationRef[]> => refs,
    load: async (ref: MigrationRef): Promise<LoadedMigration> => find(ref),
    checksum: async (ref: MigrationRef): Promise<string> => find(ref).checksum,
  });
}

function loadMemoryMigration(def: MemoryMigration, index: number): LoadedMigration {
  const where = `migrations[${index}]`;
  if (def === null || typeof def !== 'object') throw new BadMigrationError(`${where} must be an object { version, name, up, down? }.`);
  const { version, name } = def;
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 1) {
    throw new BadMigrationError(`${where}: version must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}, got ${String(version)}.`);
  }
  if (typeof name !== 'string' || name.trim() === '') throw new BadMigrationError(`${where} (version ${version}): name must be a non-empty string.`);
  const id = `${version}_${name}`;
  const label = `memory:${id}`;
  if (def.phase !== undefined && def.phase !== 'pre' && def.phase !== 'post') {
    throw new BadMigrationError(`${label}: phase must be "pre" or "post", got ${String(def.phase)}.`, { file: label });
  }
  if (def.transaction !== undefined && typeof def.transaction !== 'boolean') {
    throw new BadMigrationError(`${label}: transaction must be true or false.`, { file: label });
  }
  const collector = new DirectiveCollector(label);
  const up = body(label, def.up, 'up', collector);
  if (!up) throw new BadMigrationError(`${label}: up must be SQL text or a function (ctx) => Promise<void>.`, { file: label });
  const down = def.down === undefined ? undefined : body(label, def.down, 'down', collector);
  if (def.down !== undefined && !down) throw new BadMigrationError(`${label}: down must be SQL text or a function.`, { file: label });
  const ref: MigrationRef = { version, name, id, format: typeof def.up === 'function' ? 'code' : 'godwit', upFile: label };
  return {
    ref,
    checksum: checksumOf(typeof def.up === 'function' ? def.up.toString() : def.up),
    transaction: def.transaction ?? !collector.noTransaction,
    phase: def.phase ?? collector.phase,
    up,
    ...(down ? { down } : {}),
    directives: collector.directives,
  };
}

function body(label: string, v: unknown, direction: 'up' | 'down', collector: DirectiveCollector): MigrationBody | undefined {
  if (typeof v === 'function') return { kind: 'code', file: label, run: v as CodeMigrationFn };
  if (typeof v !== 'string') return undefined;
  const lines = v.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const d = matchDirective(lines[i]!, 'sql', label, i + 1);
    if (!d) continue;
    if (d.name === 'up' || d.name === 'down') {
      throw new BadMigrationError(`${label}:${i + 1}: "-- godwit:${d.name}" has no place in an in-code migration: give the up and down SQL as separate fields.`, {
        file: label,
        line: i + 1,
      });
    }
    collector.add(d);
  }
  const segments: SqlSegment[] = [];
  const s = segmentOfLines(lines, 0, lines.length, false);
  if (s) segments.push(s);
  if (direction === 'up' && segments.length === 0) {
    throw new BadMigrationError(`${label}: the up SQL is empty (only whitespace or comments).`, { file: label });
  }
  return { kind: 'sql', file: label, segments };
}

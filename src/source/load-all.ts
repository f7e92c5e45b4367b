/**
 * Load every migration of a source up front, so bad input is refused before anything runs
 * (the CLI's exit 2). All problems are gathered into one `BadMigrationError` rather than stopping
 * at the first. Files are read a few at a time (bounded concurrency) in version order.
 */
import { BadMigrationError } from '../core/errors.js';
import { checkCodeMigration } from './code-migration.js';
import type { LoadedMigration, MigrationRef, MigrationSource } from './migration.js';

export interface LoadAllOptions {
  /** How many migrations are read at once. Default 16. */
  readonly concurrency?: number;
  /**
   * Also import every code migration and check it exports `up` (and `down` when its text says
   * so), as `godwit validate` wants. Default false: a normal run never imports code it does not run.
   */
  readonly checkCode?: boolean;
  /** Refs already listed (skips `source.list()`). */
  readonly refs?: readonly MigrationRef[];
}

export async function loadAllMigrations(source: MigrationSource, options: LoadAllOptions = {}): Promise<LoadedMigration[]> {
  const refs = options.refs ?? (await source.list());
  const out: (LoadedMigration | undefined)[] = new Array(refs.length);
  const errors: { index: number; error: unknown }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < refs.length) {
      const i = next++;
      const ref = refs[i]!;
      try {
        const m = await source.load(ref);
        if (options.checkCode && m.up.kind === 'code') await checkCodeMigration(m.up.file, m.down !== undefined);
        out[i] = m;
      } catch (error) {
        errors.push({ index: i, error });
      }
    }
  };
  const n = Math.max(1, Math.min(options.concurrency ?? 16, refs.length));
  await Promise.all(Array.from({ length: n }, worker));
  if (errors.length) {
    errors.sort((a, b) => a.index - b.index);
    const nonBad = errors.find((e) => !(e.error instanceof BadMigrationError));
    if (nonBad) throw nonBad.error;
    if (errors.length === 1) throw errors[0]!.error;
    const list = errors.map((e) => e.error as BadMigrationError);
    throw new BadMigrationError(`${list.length} migration files are malformed:\n  - ${list.map((e) => e.message.replace(/\n/g, '\n    ')).join('\n  - ')}`, {
      file: list[0]!.facts.file,
      line: list[0]!.facts.line,
      problems: list.map((e) => ({ message: e.message, ...e.facts })),
    });
  }
  return out as LoadedMigration[];
}


/**
 * What every SQL format parser returns: the up and down bodies as segments placed in the file,
 * and what the file's directives mean for the run. Pure data.
 */
import { BadMigrationError } from '../../core/errors.js';
import type { Directive, MigrationFormat, Phase, SqlSegment } from '../migration.js';

export interface ParsedSqlFile {
  readonly format: Exclude<MigrationFormat, 'code'>;
  readonly up: readonly SqlSegment[];
  /**
   * Undefined when the file has no down section. An empty array when the section is present but
   * holds no SQL: an explicit no-op down (rolling back only removes the history row).
   */
  readonly down: readonly SqlSegment[] | undefined;
  /** False when the file says no-transaction (for the up direction, and for the down unless `downTransaction` says otherwise). */
  readonly transaction: boolean;
  /** Set only when the down direction differs from `transaction` (dbmate `-- migrate:down transaction:false`). */
  readonly downTransaction?: boolean;
  readonly phase: Phase;
  readonly directives: readonly Directive[];
}

/** The refusal for an up section with nothing but whitespace and comments. */
export function emptyUpError(file: string, line: number, how: string): BadMigrationError {
  return new BadMigrationError(`${file}:${line}: the up section is empty (only whitespace or comments). ${how}`, { file, line });
}

/**
 * What `lintMigrations` reads: one `LintInput` per migration, its SQL already split into statements
 * placed in their file (the CLI splits with the dialect's splitter, e.g. core's `statementsOf`).
 * `lintInputOf` builds one from a `LoadedMigration` and its split statements. Pure.
 */
import type { LoadedMigration, Phase, Statement } from '../source/migration.js';
import type { LintDialect } from './rule.js';

export interface LintStatementInput {
  readonly sql: string;
  /** 1-based line of the statement's first character in its file. */
  readonly line: number;
  /** The file, when it is not the migration's `file` (a golang-migrate `.down.sql`). */
  readonly file?: string;
}

export interface LintDirectiveInput {
  /** Directive name without the `godwit:` prefix (`lint-ignore`, `phase`, ...). */
  readonly name: string;
  readonly args: string;
  readonly line: number;
  /** The file, when it is not the migration's `file`. */
  readonly file?: string;
}

export interface LintInput {
  /** The migration's main file, as it should appear in findings. */
  readonly file: string;
  readonly version: number;
  readonly phase: Phase;
  /** False for `-- godwit:no-transaction` migrations. */
  readonly transaction: boolean;
  readonly dialect: LintDialect;
  /** The up statements, in order. */
  readonly statements: readonly LintStatementInput[];
  /** The down statements, when the migration has a down part. */
  readonly downStatements?: readonly LintStatementInput[];
  readonly hasDown: boolean;
  readonly directives: readonly LintDirectiveInput[];
  /** A code migration (TypeScript/JavaScript): no SQL to analyse, only the hygiene rules apply. */
  readonly code?: boolean;
  /**
   * Read for facts only (tables and columns it creates), never reported on. The CLI passes the
   * already-applied migrations before the pending ones this way, so "existing table" and known
   * column types are right when only new files are linted (`--since`, pending-only).
   */
  readonly contextOnly?: boolean;
}

/**
 * A `LintInput` from a loaded SQL migration and its statements split by the dialect. A code
 * migration (`up.kind === 'code'`) has no SQL: pass `up: []`; it is then only checked for hygiene.
 */
export function lintInputOf(
  migration: LoadedMigration,
  dialect: LintDialect,
  up: readonly Statement[],
  down?: readonly Statement[],
  contextOnly = false,
): LintInput {
  const file = migration.ref.upFile;
  const place = (s: Statement): LintStatementInput => (s.file === file ? { sql: s.sql, line: s.line } : { sql: s.sql, line: s.line, file: s.file });
  return {
    file,
    version: migration.ref.version,
    phase: migration.phase,
    transaction: migration.transaction,
    dialect,
    statements: up.map(place),
    ...(down ? { downStatements: down.map(place) } : {}),
    hasDown: migration.down !== undefined,
    directives: migration.directives.map((d) =>
      d.file === file ? { name: d.name, args: d.args, line: d.line } : { name: d.name, args: d.args, line: d.line, file: d.file },
    ),
    code: migration.up.kind === 'code',
    contextOnly,
  };
}

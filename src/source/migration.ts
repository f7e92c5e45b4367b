/**
 * The migration model shared by sources, the planner and the runner. Pure data, no I/O.
 */

/**
 * Which on-disk convention a file follows; detected per file. A source that lists names only
 * cannot tell goose, dbmate and native single `.sql` files apart and says `godwit` for them in
 * `list()`; `LoadedMigration.ref.format` is the detected format.
 */
export type MigrationFormat = 'godwit' | 'golang-migrate' | 'goose' | 'dbmate' | 'code';

/**
 * Expand/contract phase. `pre` (default) runs before the new app version rolls out and must stay
 * compatible with the old version; `post` runs after the rollout (e.g. dropping what the old version used).
 */
export type Phase = 'pre' | 'post';

/** A migration as listed by a source: enough to plan, not yet read. */
export interface MigrationRef {
  /** Decimal version, ordered numerically (`0001` -> 1, `20250101120000`). Safe integer. */
  readonly version: number;
  /** Descriptive part of the file name (`create_users`). */
  readonly name: string;
  /** Display id: the main file's name (`0001_create_users.sql`, `0001_x.up.sql`). */
  readonly id: string;
  readonly format: MigrationFormat;
  /** Path of the file holding the up part (absolute for fs sources, a label for memory sources). */
  readonly upFile: string;
  /** Path of a separate down file (golang-migrate pairs), if any. */
  readonly downFile?: string;
}

/**
 * A piece of SQL text as written in the file. `atomic` pieces (goose StatementBegin/End blocks)
 * are one statement whatever the splitter thinks; the others are split by the dialect.
 */
export interface SqlSegment {
  readonly text: string;
  /** 1-based line in `file` where `text` starts. */
  readonly line: number;
  readonly atomic: boolean;
}

/** One SQL statement ready to send, with its place in the file for error messages. */
export interface Statement {
  readonly sql: string;
  /** File the statement comes from. */
  readonly file: string;
  /** 1-based line in `file` of the statement's first character. */
  readonly line: number;
}

/** What code migrations receive: SQL on the migration's own connection (inside its transaction). */
export interface MigrationContext {
  /** Run SQL (the dialect's native placeholders: `$1` on PostgreSQL, `?` elsewhere) and return rows. */
  sql<Row extends Record<string, unknown> = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Run one or more statements without parameters; returns nothing. */
  exec(text: string): Promise<void>;
  /** The dialect name: 'postgres' | 'mysql' | 'sqlite'. */
  readonly dialect: string;
  /** Aborted when the run is being cancelled (SIGTERM); long code should stop early. */
  readonly signal: AbortSignal;
}

export type CodeMigrationFn = (ctx: MigrationContext) => Promise<void> | void;

/**
 * A statement read from a large file by `SqlStreamBody.statements`. `whole` is set when it must not
 * be split again: a goose StatementBegin/End block, or (MySQL) a statement that a `DELIMITER` line
 * made end with something other than `;`.
 */
export interface StreamedStatement extends Statement {
  readonly whole?: true;
}

/**
 * The SQL body of a large file (above `LARGE_FILE_BYTES`, `source/large-file.ts`): its statements
 * are read from the file each time they are asked for, a chunk at a time, and never held whole.
 *
 * `statements(dialect)` opens the file and yields the body's statements in order, split by the
 * dialect's incremental lexer (`sql/stream-split.ts`): the same statements, lines and order as a
 * `sql` body of the same text would give (core parses each one again with the dialect's splitter,
 * `core/statements.ts` `streamStatementsOf`). Every call reads the file again; two calls give the
 * same sequence, so statement indexes (no-transaction progress, resume) are stable. The iterator
 * throws `BadMigrationError` when the file is not the one that was loaded (its size or, at the end,
 * its checksum changed), and for bytes that are not UTF-8.
 */
export interface SqlStreamBody {
  readonly kind: 'sql-stream';
  readonly file: string;
  /** The file's size in bytes when it was loaded. */
  readonly bytes: number;
  statements(dialect: 'postgres' | 'mysql' | 'sqlite'): AsyncIterable<StreamedStatement>;
}

/** The body of one direction (up or down) of a migration. `sql-stream` only comes from large files. */
export type MigrationBody =
  | { readonly kind: 'sql'; readonly file: string; readonly segments: readonly SqlSegment[] }
  | { readonly kind: 'code'; readonly file: string; readonly run: CodeMigrationFn }
  | SqlStreamBody;

/** A migration read from its source: checksummed, directives parsed, bodies ready. */
export interface LoadedMigration {
  readonly ref: MigrationRef;
  /**
   * SHA-256 hex of the file bytes (line endings normalised to LF); for golang-migrate pairs, of the
   * `.up.sql` file only (a down file added or fixed later must not break applied history; see
   * `source/checksum.ts`).
   */
  readonly checksum: string;
  /** False when the file says no-transaction (`-- godwit:no-transaction`, goose NO TRANSACTION, dbmate transaction:false). */
  readonly transaction: boolean;
  /**
   * Whether the down runs in a transaction, present only when it differs from `transaction`
   * (dbmate's per-direction `-- migrate:down transaction:false`, or `-- godwit:no-transaction` in a
   * `.down.sql`). Read it as `m.downTransaction ?? m.transaction`.
   */
  readonly downTransaction?: boolean;
  readonly phase: Phase;
  readonly up: MigrationBody;
  readonly down?: MigrationBody;
  /** Lint suppressions and other directives, raw, for tools that need them (lint). */
  readonly directives: readonly Directive[];
}

export interface Directive {
  readonly name: string;
  readonly args: string;
  readonly file: string;
  readonly line: number;
}

/**
 * Where migrations come from. `list()` is cheap (names only) and must validate what names alone
 * can tell (duplicates, unparsable names, a down without its up), throwing `BadMigrationError`.
 * `load()` reads one migration fully, throwing `BadMigrationError` for malformed content.
 */
export interface MigrationSource {
  list(): Promise<readonly MigrationRef[]>;
  load(ref: MigrationRef): Promise<LoadedMigration>;
  /**
   * Optional cheap path: the checksum `load(ref)` would report, without parsing (fs: one read and a
   * hash). Equal to `(await load(ref)).checksum` whenever `load` succeeds.
   */
  checksum?(ref: MigrationRef): Promise<string>;
}

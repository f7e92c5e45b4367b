/**
 * A database dialect: everything core needs to know about one engine, behind one object.
 * Core branches on `capabilities`, never on `name`. Dialect folders import nothing from `core/`
 * except errors, and never another dialect.
 */
import type { Capabilities } from './capabilities.js';
import type { Connection } from './driver.js';
import type { HistoryStore } from './history-store.js';
import type { Locker, LockMode } from './locker.js';
import type { Target } from './target.js';
import type { DatabaseUrl } from './database-url.js';
import type { SchemaSnapshot } from '../schema/schema-snapshot.js';

export type DialectName = 'postgres' | 'mysql' | 'sqlite';

export interface ConnectOptions {
  readonly url: DatabaseUrl;
  /** Shown in pg_stat_activity / the process list: `godwit <version> <host>`. */
  readonly applicationName: string;
  /** One connection attempt's timeout. Retrying is core's job. */
  readonly attemptTimeoutMs: number;
}

/** A statement as split from a piece of SQL text, before it is placed in its file. */
export interface SplitStatement {
  readonly sql: string;
  /** 0-based line offset of the statement's first character within the split text. */
  readonly lineOffset: number;
}

/** What happened to a statement whose runner died while it was running (see `Dialect.probeInterrupted`). */
export type InterruptedOutcome = 'not-applied' | 'applied' | 'unknown';

export interface Dialect {
  readonly name: DialectName;
  readonly capabilities: Capabilities;
  /**
   * Open one session. Rejects with `ConnectionError` when the server cannot be reached (retryable,
   * exit 3) and `ConfigError` for what retrying cannot fix (bad credentials, unknown database, exit 2).
   * The message masks the password.
   */
  connect(options: ConnectOptions): Promise<Connection>;
  /** Resolve the configured history table (`[schema.]table`) to a full target on this connection. */
  resolveTarget(conn: Connection, url: DatabaseUrl, table: string): Promise<Target>;
  createLocker(target: Target, mode: LockMode): Locker;
  createHistoryStore(target: Target): HistoryStore;
  /**
   * Split SQL text into statements (PostgreSQL: the real parser; MySQL: quotes, comments, DELIMITER;
   * SQLite: trigger bodies). Throws `BadMigrationError` for text that cannot run (e.g. COPY FROM stdin);
   * the caller adds the file name.
   */
  splitStatements(text: string): Promise<SplitStatement[]>;
  /**
   * Per-migration session settings before the migration's first statement: the DDL lock timeout
   * (`lock_timeout` / `lock_wait_timeout`); 0 means no timeout.
   */
  setLockTimeout(conn: Connection, ms: number): Promise<void>;
  /** Whether a database error means "gave up waiting for a lock" (retry with backoff). */
  isLockTimeout(error: unknown): boolean;
  /**
   * Load what the synchronous helpers below need (PostgreSQL: the parser) before they are asked.
   * Called by core before classifying statements. Optional; idempotent.
   */
  prepare?(): Promise<void>;
  /** Whether a statement cannot run inside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ...). */
  mustRunOutsideTransaction(sql: string): boolean;
  /**
   * After a runner died while `sql` was running in a non-transactional migration, find out whether
   * it took effect (and clean up what a half-done statement left, e.g. drop an INVALID index left by
   * CREATE INDEX CONCURRENTLY, answering 'not-applied' so it is run again).
   */
  probeInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome>;
  /**
   * Whether this session goes through a transaction-mode pooler (session locks unsafe there).
   * Returns a human explanation when detected, else undefined.
   */
  detectTransactionPooler(conn: Connection): Promise<string | undefined>;
  /**
   * Read the schema this session sees (PostgreSQL: every non-system schema; MySQL: the current
   * database; SQLite: `main`) from the catalog into the neutral model, for `godwit check` and
   * schema comparison. Read-only; Godwit's own tables are included (callers filter them with
   * `withoutTables`). Rejects like `Connection.query`.
   */
  inspectSchema(conn: Connection): Promise<SchemaSnapshot>;
}

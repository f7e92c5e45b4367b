/**
 * One database session. Created by `Dialect.connect()`; owned by exactly one caller; never shared
 * between concurrent operations. All methods reject with a `GodwitError`:
 * `ConnectionError` when the session is gone (exit 3), a `DatabaseError` (below) for an error the
 * server reported for a statement, so the runner can map it to a file line.
 */
import { GodwitError, type GodwitErrorFacts } from '../core/errors.js';

export type Row = Record<string, unknown>;

export interface QueryOptions {
  /** Aborting cancels the running statement on the server where the dialect can (`capabilities.cancelStatement`). */
  readonly signal?: AbortSignal;
}

export interface ExecTransactionOptions extends QueryOptions {
  /**
   * Commit without waiting for the server to make the commit durable (PostgreSQL:
   * `SET LOCAL synchronous_commit = off` for this transaction only). The transaction is still
   * atomic and visible to everyone at once; a crash of the SERVER within a fraction of a second may
   * lose it as a whole (statements and history row together, so the next run applies it again).
   * Whoever defers must call `flushCommits()` before saying the run is done.
   */
  readonly deferDurability?: boolean;
}

/** A statement with the dialect's native placeholders and its parameters. */
export interface SqlQuery {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

export interface Connection {
  /** Run SQL that returns no rows we need. May contain several statements only where the driver allows. */
  exec(sql: string, options?: QueryOptions): Promise<void>;
  /** Run one statement with the dialect's native placeholders (`$1` on PostgreSQL, `?` elsewhere). */
  query<T extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]>;
  /**
   * Run `fn` inside BEGIN/COMMIT; ROLLBACK if it throws (the error is rethrown). Not nestable.
   * Where `capabilities.transactionalDdl` is false, DDL inside still commits implicitly.
   */
  inTransaction<T>(fn: () => Promise<T>): Promise<T>;
  /**
   * Optional: run `queries` in one transaction in ONE round trip (PostgreSQL: `BEGIN; ...; COMMIT`
   * as one simple-protocol query, parameters inlined as literals with the driver's own quoting),
   * so a migration's statements and its history rows cost one round trip instead of one each.
   * On any error the transaction is rolled back and the error rejected like `exec`'s; which query
   * failed is not known (the caller re-runs one statement at a time when it needs to say). The
   * statements must be allowed in a transaction. Not nestable; absent where the driver cannot.
   */
  execTransaction?(queries: readonly SqlQuery[], options?: ExecTransactionOptions): Promise<void>;
  /**
   * Optional, with `execTransaction`'s `deferDurability`: return once every transaction this
   * session committed is durable on the server (PostgreSQL: one synchronous commit of a transaction
   * with a transaction id flushes the write-ahead log up to it, and so every earlier commit). Does
   * nothing when no commit was deferred. Rejects like `exec`.
   */
  flushCommits?(): Promise<void>;
  /** Cancel the statement running right now on this session (server-side), if any. Never throws. */
  cancel(): Promise<void>;
  /** True once the session is closed or known to be broken. */
  readonly closed: boolean;
  /** Close the session. Idempotent, never throws. */
  close(): Promise<void>;
  /** A server-side identifier of the session (backend pid, CONNECTION_ID()), for holder reports and tests. */
  readonly sessionId: string;
  /**
   * Open a new, independent session with the same settings. Optional; used by the lease locker for
   * its heartbeat (which must neither wait behind a long statement nor join the migration's
   * transaction). Rejects like `Dialect.connect`.
   */
  fork?(): Promise<Connection>;
}

/**
 * An error the database reported for a statement. `position` is the 1-based character offset in
 * the statement text where the server located the error (PostgreSQL), `line` a 1-based line within
 * the statement (MySQL "at line N"); the runner maps either back to the file.
 */
export class DatabaseError extends GodwitError {
  readonly sqlState: string | undefined;
  readonly position: number | undefined;
  readonly lineInStatement: number | undefined;
  constructor(
    message: string,
    info: { sqlState?: string; position?: number; lineInStatement?: number },
    facts: GodwitErrorFacts = {},
    options?: { cause?: unknown },
  ) {
    super('MIGRATION_FAILED', message, facts, options);
    this.name = 'DatabaseError';
    this.sqlState = info.sqlState;
    this.position = info.position;
    this.lineInStatement = info.lineInStatement;
  }
}

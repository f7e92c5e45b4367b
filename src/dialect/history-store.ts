/**
 * The history table (`godwit_migrations` by default) and the append-only audit log
 * (`<table>_events`, i.e. `godwit_events` by default... see `eventsTableName`).
 *
 * Row status:
 * - `applied`: done.
 * - `running`: a non-transactional migration in progress, or its runner died (then, when seen under
 *   the lock, it is partial; `statementsApplied` says how far it got).
 * - `failed`: a non-transactional migration stopped on an error after `statementsApplied`
 *   statements had committed; `lastError` says why. Needs `repair`.
 * - `resume`: set by `repair --retry-from`: the next `up` continues at statement
 *   `statementsApplied + 1` without probing.
 * Transactional migrations are never `running` or `failed` in the table: their row is written in
 * the migration's own transaction.
 */
import type { Connection, SqlQuery } from './driver.js';
import type { Phase } from '../source/migration.js';

export type HistoryStatus = 'applied' | 'running' | 'failed' | 'resume';

export interface HistoryRow {
  readonly version: number;
  readonly name: string;
  readonly checksum: string;
  readonly phase: Phase;
  readonly status: HistoryStatus;
  readonly statementsApplied: number;
  readonly statementsTotal: number;
  readonly appliedAt: Date;
  readonly durationMs: number;
  readonly appliedBy: string;
  readonly godwitVersion: string;
  readonly lastError: string | null;
}

export type HistoryAction = 'up' | 'down' | 'fail' | 'partial' | 'repair' | 'baseline' | 'resume';

export interface HistoryEvent {
  readonly version: number;
  readonly name: string;
  readonly action: HistoryAction;
  readonly appliedBy: string;
  readonly godwitVersion: string;
  readonly detail: string | null;
  /** Filled by the store when read back. */
  readonly at?: Date;
}

export interface HistoryStore {
  /** Display name of the history table, qualified as configured. */
  readonly tableName: string;
  readonly eventsTableName: string;
  /** Create the history and events tables if missing. Idempotent. Call under the lock only. */
  ensure(conn: Connection): Promise<void>;
  /** All rows ordered by version; [] when the table does not exist. One round trip, no DDL. */
  list(conn: Connection): Promise<HistoryRow[]>;
  /** Insert a row (status applied, or running for a non-transactional start). */
  insert(conn: Connection, row: HistoryRow): Promise<void>;
  /**
   * Optional: the statement `insert` sends, for a caller that batches it into the migration's own
   * round trip (`Connection.execTransaction`). With `serverDuration`, `duration_ms` is measured by
   * the server from the start of that round trip to this statement; undefined when it cannot be.
   */
  insertQuery?(row: HistoryRow, options?: { serverDuration?: boolean }): SqlQuery | undefined;
  /** Optional: the statement `appendEvent` sends (see `insertQuery`). */
  appendEventQuery?(event: HistoryEvent): SqlQuery;
  /** Update the mutable fields of a row. */
  update(conn: Connection, version: number, patch: Partial<Omit<HistoryRow, 'version'>>): Promise<void>;
  /** Delete a row (down, repair --forget). */
  remove(conn: Connection, version: number): Promise<void>;
  /** Append to the audit log. */
  appendEvent(conn: Connection, event: HistoryEvent): Promise<void>;
  /** Audit log, oldest first; [] when missing. */
  listEvents(conn: Connection): Promise<HistoryEvent[]>;
}

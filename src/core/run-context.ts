/**
 * Everything a run needs once connected and locked, passed to the per-migration runner.
 */
import type { Dialect } from '../dialect/dialect.js';
import type { Connection } from '../dialect/driver.js';
import type { HistoryStore } from '../dialect/history-store.js';
import type { Lease } from '../dialect/locker.js';
import type { Reporter } from '../report/run-event.js';
import type { ResolvedOptions } from './options.js';

export interface RunContext {
  readonly dialect: Dialect;
  readonly conn: Connection;
  readonly store: HistoryStore;
  readonly lease: Lease;
  readonly options: ResolvedOptions;
  readonly reporter: Reporter;
  /** Aborted with reason 'SIGTERM' | 'SIGINT' when the run must stop. */
  readonly signal: AbortSignal;
}

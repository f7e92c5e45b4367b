/**
 * Mutual exclusion between runs on one target. `acquire()` polls a try-lock (never a blocking lock
 * wait, so a waiter cannot deadlock a holder's CREATE INDEX CONCURRENTLY) and holds no open
 * transaction or snapshot between polls.
 *
 * Kinds:
 * - `session`: PostgreSQL advisory lock / MySQL GET_LOCK / SQLite a file lock; freed by the server
 *   (or the OS) when the holder's session or process dies.
 * - `lease`: a row with owner, expiry and heartbeat, for transaction-mode poolers (PgBouncer);
 *   an expired lease is taken over; `Lease.assertHeld` is the fencing check.
 */
import type { Connection, SqlQuery } from './driver.js';

export type LockMode = 'session' | 'lease';

export interface LockHolder {
  /** Who holds it: `godwit <version> <host>` application name, lease owner, or the best the server tells. */
  readonly who: string;
  /** Since when (session start / lease taken), if known. */
  readonly since?: Date;
  /** Server session id of the holder (pid / connection id), if known. */
  readonly sessionId?: string;
  /** Lease only: when the lease expires unless renewed. */
  readonly expiresAt?: Date;
}

export interface AcquireOptions {
  /** Give up after this long with a `TimeoutError` (exit 4). */
  readonly timeoutMs: number;
  /** Aborting stops the wait with an `InterruptedError`. */
  readonly signal?: AbortSignal;
  /** Time between try-lock polls. Default 250 ms (jittered). */
  readonly pollMs?: number;
  /** Called every `reportEveryMs` (default 10 s) while waiting, with the current holder if known. */
  readonly onWait?: (holder: LockHolder | undefined, waitedMs: number) => void;
  readonly reportEveryMs?: number;
  /** Owner label for lease rows and logs: `godwit <version> <host>`. */
  readonly owner: string;
  /** Lease mode: how long a lease lives unless renewed (the heartbeat renews every third of it). Default 30 s. */
  readonly leaseTtlMs?: number;
  /**
   * Optional, asked between polls (at most once a second, first after a second) while the lock is
   * busy, on the caller's own connection (which holds nothing then). When it resolves true the
   * wait ends: `acquire` rejects with
   * `LockNotNeededError` and takes nothing. A rejection counts as false. `up` uses it to leave as
   * soon as another run has applied everything, instead of queueing for the lock only to find
   * nothing to do.
   */
  readonly stopWaiting?: () => Promise<boolean>;
}

export interface Lease {
  readonly mode: LockMode;
  /**
   * Fencing check, called by core right before every history write, on the connection doing the
   * write (inside its transaction where there is one). Throws `LockLostError` if the lock is no
   * longer ours. For session locks it checks nothing more than the session being alive.
   */
  assertHeld(conn: Connection): Promise<void>;
  /**
   * Optional: `assertHeld` as a statement that fails when run on `conn` while the lock is not held,
   * for a caller that sends it in the migration's own round trip, right before the history write
   * (where `assertHeld` would run). Undefined when it cannot be expressed so: call `assertHeld`.
   */
  heldGuard?(conn: Connection): SqlQuery | undefined;
  /** Release on the same session. Idempotent, never throws (a dead session already released it). */
  release(): Promise<void>;
}

export interface Locker {
  readonly mode: LockMode;
  /**
   * Whether `acquire` may create something (a lock table and row, a lock file). Bad input must
   * leave nothing behind, so the migrator checks the SQL before acquiring such a lock, and after
   * acquiring one that writes nothing (so waiting runs need not parse what they never run).
   */
  readonly acquireWrites: boolean;
  /** Acquire on `conn` (the session the run uses). See AcquireOptions for errors. */
  acquire(conn: Connection, options: AcquireOptions): Promise<Lease>;
  /** Who holds the lock now, or undefined when it is free. Takes no lock. */
  holder(conn: Connection): Promise<LockHolder | undefined>;
  /**
   * Free the lock of a holder that is gone (`godwit lock release`). Lease: deletes the row.
   * Session: terminates nothing; returns false and the caller explains that the server frees it.
   */
  forceRelease(conn: Connection): Promise<boolean>;
}

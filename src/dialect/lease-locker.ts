/**
 * The lease lock, shared by every dialect: a row in `<history table>_lock` (e.g.
 * `godwit_migrations_lock`, same schema) with an owner, an expiry and a heartbeat. It assumes no
 * session state at all, so it works through transaction-mode poolers (PgBouncer) where advisory
 * locks are unsafe. What differs between engines is declared in a `LeaseSqlSpec`.
 *
 * Table (one row per target; times are the DATABASE clock in epoch milliseconds, so the pods'
 * clocks never matter):
 *   name          the history table, as displayed (`public.godwit_migrations`); primary key
 *   owner         `godwit <version> <host>` of the holder
 *   holder_id     random id of one acquisition (two processes on one host have the same owner)
 *   token         fencing token: 1 on first insert, +1 on every takeover
 *   acquired_at, heartbeat_at, expires_at   epoch ms (BIGINT)
 *
 * acquire: `CREATE TABLE IF NOT EXISTS` (a concurrent creator is tolerated), then `pollForLock`:
 * each poll is one SELECT; when the row is missing, an INSERT (a unique violation means someone
 * else won); when it expired, one conditional UPDATE (`... WHERE holder_id = <old> AND expires_at
 * < now`) then a SELECT to see whether it is ours (no driver row counts needed). Nothing stays
 * open between polls.
 *
 * While held, a heartbeat renews `expires_at` every ttl/3 on a separate session
 * (`conn.fork()`, so it is neither queued behind a long statement nor caught in the migration's
 * transaction). Without `fork` there is no heartbeat and only `assertHeld` renews the lease.
 *
 * `assertHeld(conn)` (before every history write, inside the migration's transaction) renews the
 * lease with `UPDATE ... WHERE name = ? AND holder_id = ?`, then reads the row with a locking read;
 * if another holder took over it throws `LockLostError` (exit 4), so a holder that was frozen past
 * its expiry never writes history. Inside a transaction the UPDATE keeps the row locked until
 * commit, so nobody can take over between the check and the history write.
 *
 * release deletes the row if it is still ours; `forceRelease` deletes it whoever holds it.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError, LockLostError } from '../core/errors.js';
import type { Connection, Row } from './driver.js';
import type { AcquireOptions, Lease, Locker, LockHolder } from './locker.js';
import { pollForLock } from './poll-lock.js';
import type { SqlFlavor } from './sql-history-store.js';
import type { Target } from './target.js';

/** Per-dialect SQL for the lease lock. */
export interface LeaseSqlSpec {
  readonly flavor: SqlFlavor;
  /** SQL expression for the database clock now, as integer epoch milliseconds (real time, not transaction start). */
  readonly nowMs: string;
  /** Suffix for a read that must see and lock the latest committed row inside a transaction (` FOR UPDATE`; `''` where writes are serialised anyway). */
  readonly lockingRead: string;
  /** Whether an INSERT failed because the key exists (a concurrent insert won). */
  isUniqueViolation(error: unknown): boolean;
  /** Whether CREATE TABLE IF NOT EXISTS failed because a concurrent creator won (retry). */
  isDuplicateTable(error: unknown): boolean;
  /**
   * Whether a try failed only because the database was busy (SQLite: another process holds the
   * file's write lock, e.g. a frozen holder inside its transaction). Such a try counts as "not
   * taken" and polling goes on, so the wait ends in a lock timeout (exit 4), not a failure.
   */
  isBusy?(error: unknown): boolean;
}

export interface LeaseLockerOptions {
  /** Lease time to live when `AcquireOptions.leaseTtlMs` does not say. Default 30 s. */
  readonly ttlMs?: number;
}

export const DEFAULT_LEASE_TTL_MS = 30_000;

/** `godwit_migrations` -> `godwit_migrations_lock`. */
export function leaseTableFor(table: string): string {
  return `${table}_lock`;
}

function canFork(conn: Connection): conn is Connection & { fork(): Promise<Connection> } {
  return typeof conn.fork === 'function';
}

function num(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? NaN);
}

/** Placeholders numbered in order of use. */
function binder(flavor: SqlFlavor) {
  const params: unknown[] = [];
  return {
    params,
    p(value: unknown): string {
      params.push(value);
      return flavor.placeholder(params.length);
    },
  };
}

export class LeaseLocker implements Locker {
  readonly mode = 'lease' as const;
  /** The lock table (created on first use) and the lock row. */
  readonly acquireWrites = true;
  /** The lock table's display name. */
  readonly lockTableName: string;
  /** The row's name: the history table as displayed. */
  readonly lockName: string;
  private readonly t: string;
  private readonly now: string;

  constructor(
    private readonly spec: LeaseSqlSpec,
    target: Target,
    private readonly options: LeaseLockerOptions = {},
  ) {
    const q = spec.flavor.quote;
    const lockTable = leaseTableFor(target.table);
    this.t = target.schema ? `${q(target.schema)}.${q(lockTable)}` : q(lockTable);
    this.lockTableName = target.schema ? `${target.schema}.${lockTable}` : lockTable;
    this.lockName = target.schema ? `${target.schema}.${target.table}` : target.table;
    this.now = spec.nowMs;
  }

  /** See `LeaseSqlSpec.lockingRead`. */
  get lockingRead(): string {
    return this.spec.lockingRead;
  }

  /** Create the lock table if missing. Safe against concurrent creators. */
  async ensureTable(conn: Connection): Promise<void> {
    const ty = this.spec.flavor.types;
    const ddl = `CREATE TABLE IF NOT EXISTS ${this.t} (
  name ${ty.shortText} NOT NULL PRIMARY KEY,
  owner ${ty.text} NOT NULL,
  holder_id ${ty.shortText} NOT NULL,
  token ${ty.bigint} NOT NULL,
  acquired_at ${ty.bigint} NOT NULL,
  heartbeat_at ${ty.bigint} NOT NULL,
  expires_at ${ty.bigint} NOT NULL
)${this.spec.flavor.tableOptions ? ` ${this.spec.flavor.tableOptions}` : ''}`;
    for (let attempt = 0; ; attempt++) {
      try {
        await conn.exec(ddl);
        return;
      } catch (e) {
        if (attempt >= 3 || !this.spec.isDuplicateTable(e)) throw e;
      }
    }
  }

  async acquire(conn: Connection, options: AcquireOptions): Promise<Lease> {
    const ttlMs = options.leaseTtlMs ?? this.options.ttlMs ?? DEFAULT_LEASE_TTL_MS;
    if (!(ttlMs > 0)) throw new ConfigError(`The lease time to live must be positive (got ${ttlMs} ms).`);
    await this.ensureTable(conn);
    const holderId = randomUUID();
    let token = 0;
    await pollForLock(
      async () => {
        let t: number | undefined;
        try {
          t = await this.tryTake(conn, holderId, options.owner, ttlMs);
        } catch (e) {
          if (this.spec.isBusy?.(e)) return false;
          throw e;
        }
        if (t === undefined) return false;
        token = t;
        return true;
      },
      () => this.holder(conn),
      options,
      `${this.lockName} (lease row in ${this.lockTableName})`,
    );
    return new LeaseHandle(this, conn, holderId, token, ttlMs);
  }

  /** One try: the new token when the lease is now ours, else undefined. */
  private async tryTake(conn: Connection, holderId: string, owner: string, ttlMs: number): Promise<number | undefined> {
    const f = this.spec.flavor;
    const sel = binder(f);
    const rows = await conn.query(
      `SELECT holder_id, token, CASE WHEN expires_at < ${this.now} THEN 1 ELSE 0 END AS expired FROM ${this.t} WHERE name = ${sel.p(this.lockName)}`,
      sel.params,
    );
    const row = rows[0];
    if (!row) {
      const ins = binder(f);
      try {
        await conn.query(
          `INSERT INTO ${this.t} (name, owner, holder_id, token, acquired_at, heartbeat_at, expires_at) VALUES (${ins.p(this.lockName)}, ${ins.p(owner)}, ${ins.p(holderId)}, 1, ${this.now}, ${this.now}, ${this.now} + ${ins.p(ttlMs)})`,
          ins.params,
        );
      } catch (e) {
        if (this.spec.isUniqueViolation(e)) return undefined;
        throw e;
      }
      return 1;
    }
    if (num(row.expired) !== 1) return undefined;
    const up = binder(f);
    await conn.query(
      `UPDATE ${this.t} SET owner = ${up.p(owner)}, holder_id = ${up.p(holderId)}, token = token + 1, acquired_at = ${this.now}, heartbeat_at = ${this.now}, expires_at = ${this.now} + ${up.p(ttlMs)} WHERE name = ${up.p(this.lockName)} AND holder_id = ${up.p(String(row.holder_id))} AND expires_at < ${this.now}`,
      up.params,
    );
    const after = await this.readRow(conn, '');
    return after && String(after.holder_id) === holderId ? num(after.token) : undefined;
  }

  /** The lock row, or undefined (also when the table is missing). */
  async readRow(conn: Connection, suffix: string): Promise<Row | undefined> {
    const b = binder(this.spec.flavor);
    try {
      const rows = await conn.query(
        `SELECT owner, holder_id, token, acquired_at, heartbeat_at, expires_at, ${this.now} AS now_ms FROM ${this.t} WHERE name = ${b.p(this.lockName)}${suffix}`,
        b.params,
      );
      return rows[0];
    } catch (e) {
      if (this.spec.flavor.isUndefinedTable(e)) return undefined;
      throw e;
    }
  }

  /** Renew our lease (no-op when it is not ours any more). */
  async renew(conn: Connection, holderId: string, ttlMs: number): Promise<void> {
    const b = binder(this.spec.flavor);
    await conn.query(
      `UPDATE ${this.t} SET heartbeat_at = ${this.now}, expires_at = ${this.now} + ${b.p(ttlMs)} WHERE name = ${b.p(this.lockName)} AND holder_id = ${b.p(holderId)}`,
      b.params,
    );
  }

  /** Delete our row (no-op when it is not ours). */
  async deleteOwn(conn: Connection, holderId: string): Promise<void> {
    const b = binder(this.spec.flavor);
    await conn.query(`DELETE FROM ${this.t} WHERE name = ${b.p(this.lockName)} AND holder_id = ${b.p(holderId)}`, b.params);
  }

  /** The current holder; undefined when there is no row or it expired (free to take). */
  async holder(conn: Connection): Promise<LockHolder | undefined> {
    const row = await this.readRow(conn, '');
    if (!row || num(row.expires_at) < num(row.now_ms)) return undefined;
    return {
      who: String(row.owner),
      since: new Date(num(row.acquired_at)),
      expiresAt: new Date(num(row.expires_at)),
    };
  }

  /** Delete the lease row whoever holds it. True when there was one. */
  async forceRelease(conn: Connection): Promise<boolean> {
    const row = await this.readRow(conn, '');
    if (!row) return false;
    const b = binder(this.spec.flavor);
    await conn.query(`DELETE FROM ${this.t} WHERE name = ${b.p(this.lockName)}`, b.params);
    return true;
  }

  describeLoss(row: Row | undefined, ttlMs: number): string {
    const by = row ? `taken over by ${String(row.owner)} (fencing token ${num(row.token)})` : 'released by someone else (the lease row is gone)';
    return (
      `The migration lock lease on ${this.lockName} was ${by}; this run stopped before writing history. ` +
      `It happens when a run is paused or cut off for longer than the lease time to live (${ttlMs} ms). ` +
      'Run "godwit status" to see where things stand; the new holder continues the migrations.'
    );
  }
}

/** One held lease. */
class LeaseHandle implements Lease {
  readonly mode = 'lease' as const;
  private lost: string | undefined;
  private released = false;
  private timer: NodeJS.Timeout | undefined;
  private beat: Promise<void> | undefined;
  private hbConn: Connection | undefined;

  constructor(
    private readonly locker: LeaseLocker,
    private readonly conn: Connection,
    private readonly holderId: string,
    /** The fencing token of this acquisition. */
    readonly token: number,
    private readonly ttlMs: number,
  ) {
    if (canFork(conn)) {
      this.timer = setInterval(() => {
        if (!this.beat) this.beat = this.heartbeat().finally(() => (this.beat = undefined));
      }, Math.max(10, Math.floor(ttlMs / 3)));
      this.timer.unref();
    }
  }

  private async heartbeat(): Promise<void> {
    try {
      if (!this.hbConn || this.hbConn.closed) {
        const old = this.hbConn;
        this.hbConn = undefined;
        await old?.close();
        if (!canFork(this.conn)) return;
        this.hbConn = await this.conn.fork();
        if (this.released) {
          await this.hbConn.close();
          return;
        }
      }
      await this.locker.renew(this.hbConn, this.holderId, this.ttlMs);
    } catch {
      // The next beat retries; assertHeld is the check that matters.
    }
  }

  async assertHeld(conn: Connection): Promise<void> {
    if (this.released) throw new LockLostError(`The migration lock lease on ${this.locker.lockName} was already released by this run.`);
    if (this.lost) throw new LockLostError(this.lost);
    await this.locker.renew(conn, this.holderId, this.ttlMs);
    const row = await this.locker.readRow(conn, this.locker.lockingRead);
    if (!row || String(row.holder_id) !== this.holderId) {
      this.lost = this.locker.describeLoss(row, this.ttlMs);
      this.stopTimer();
      throw new LockLostError(this.lost, { holder: row ? String(row.owner) : undefined });
    }
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.stopTimer();
    await this.beat?.catch(() => {});
    const hb = this.hbConn;
    this.hbConn = undefined;
    let done = false;
    if (!this.lost) {
      for (const c of [this.conn, hb]) {
        if (done || !c || c.closed) continue;
        try {
          await this.locker.deleteOwn(c, this.holderId);
          done = true;
        } catch {
          // Try the other session; failing both, the lease simply expires.
        }
      }
    }
    await hb?.close().catch(() => {});
  }
}

/**
 * The PostgreSQL session lock: a session-level advisory lock, `pg_try_advisory_lock(key)` polled
 * through `pollForLock` (a waiter never queues behind the holder, so it cannot deadlock the
 * holder's CREATE INDEX CONCURRENTLY, and holds no transaction between polls). The server frees it
 * when the holder's session ends, however it ends; `client_connection_check_interval` and TCP
 * keepalives (see postgres-driver.ts) make that happen within seconds of a holder's death.
 *
 * The key is the first 8 bytes of SHA-256(`targetKeyText(target)`) as a signed 64-bit integer, so
 * two apps with separate history tables (or schemas, or databases) never block each other. It is
 * pinned by a test: changing it would let old and new releases run at the same time.
 */
import { createHash } from 'node:crypto';
import { GodwitError, LockLostError } from '../../core/errors.js';
import type { Connection, Row, SqlQuery } from '../driver.js';
import type { AcquireOptions, Lease, Locker, LockHolder } from '../locker.js';
import { pollForLock } from '../poll-lock.js';
import { targetKeyText, type Target } from '../target.js';

/** The advisory lock key of a target, as a decimal signed int64 string. */
export function advisoryLockKey(target: Target): string {
  return createHash('sha256').update(targetKeyText(target), 'utf8').digest().readBigInt64BE(0).toString();
}

/** How pg_locks shows a bigint advisory key: classid = high 32 bits, objid = low 32 bits, objsubid = 1. */
function lockParts(key: string): { classid: string; objid: string } {
  const k = BigInt.asUintN(64, BigInt(key));
  return { classid: (k >> 32n).toString(), objid: (k & 0xffffffffn).toString() };
}

const THIS_DATABASE = '(SELECT oid FROM pg_database WHERE datname = current_database())';

function describe(target: Target): string {
  return `${target.schema ? `${target.schema}.` : ''}${target.table} in database ${target.database}`;
}

export class PostgresSessionLocker implements Locker {
  readonly mode = 'session' as const;
  /** An advisory lock writes nothing. */
  readonly acquireWrites = false;
  readonly key: string;
  private readonly parts: { classid: string; objid: string };

  constructor(private readonly target: Target) {
    this.key = advisoryLockKey(target);
    this.parts = lockParts(this.key);
  }

  async acquire(conn: Connection, options: AcquireOptions): Promise<Lease> {
    await pollForLock(
      async () => {
        const rows = await conn.query<{ ok: unknown }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [this.key]);
        const ok = rows[0]?.ok;
        if (ok === true) return true;
        if (ok === false) return false;
        throw new GodwitError('INTERNAL', `pg_try_advisory_lock answered ${JSON.stringify(ok)} instead of true or false.`);
      },
      () => this.holder(conn),
      options,
      `${describe(this.target)} (advisory lock ${this.key})`,
    );
    return new AdvisoryLease(this, conn);
  }

  /** Whether the session with backend pid `pid` holds the lock, asked on `conn`. */
  async heldBy(conn: Connection, pid: string): Promise<boolean> {
    const rows = await conn.query<{ held: unknown }>(
      `SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::oid AND objid = $2::oid AND objsubid = 1 AND pid = $3::int AND database = ${THIS_DATABASE}) AS held`,
      [this.parts.classid, this.parts.objid, pid],
    );
    return rows[0]?.held === true;
  }

  /**
   * The fencing check inside a migration's own transaction (see AdvisoryLease.heldGuard): takes
   * the same key as a TRANSACTION-level advisory lock, which succeeds at once when this session
   * holds the session lock (a backend never conflicts with itself) and fails when any other session
   * holds it, e.g. when a transaction-mode pooler ran this transaction on another server session
   * than the one holding the lock. The transaction then keeps the lock until its COMMIT, so no other
   * run can take it between the check and the history write. It raises by casting a message to int
   * (plain SQL: no PL/pgSQL compile; the message is not a constant, so the planner cannot fold it).
   * This replaced a DO block reading pg_locks, which materialises every lock on the server and cost
   * ~0.3 ms per migration (docs/performance.md). On a failed round trip the runner re-runs the
   * migration statement by statement, where `assertHeld` names the holder.
   */
  guardSql(): string {
    return (
      `SELECT CASE WHEN pg_try_advisory_xact_lock(${this.key}::bigint) THEN NULL ` +
      `ELSE ('godwit: another session holds the migration lock (advisory lock ${this.key}); this session (pid ' || pg_backend_pid() || ') stopped before writing history')::int END AS godwit_lock_guard`
    );
  }

  async holder(conn: Connection): Promise<LockHolder | undefined> {
    const rows = await conn.query<Row>(
      `SELECT l.pid, a.application_name, a.usename, host(a.client_addr) AS client_addr, a.backend_start
         FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = $1::oid AND l.objid = $2::oid AND l.objsubid = 1
          AND l.database = ${THIS_DATABASE}
        LIMIT 1`,
      [this.parts.classid, this.parts.objid],
    );
    const r = rows[0];
    if (!r) return undefined;
    const app = typeof r.application_name === 'string' && r.application_name ? r.application_name : undefined;
    const user = typeof r.usename === 'string' && r.usename ? `user ${r.usename}` : undefined;
    const from = typeof r.client_addr === 'string' && r.client_addr ? ` from ${r.client_addr}` : '';
    return {
      who: `${app ?? user ?? 'an unknown session'}${from} (pid ${String(r.pid)})`,
      since: r.backend_start instanceof Date ? r.backend_start : undefined,
      sessionId: String(r.pid),
    };
  }

  /** The server frees a session lock when its session ends; nothing to force. */
  async forceRelease(_conn: Connection): Promise<boolean> {
    return false;
  }
}

class AdvisoryLease implements Lease {
  readonly mode = 'session' as const;
  private released = false;

  constructor(
    private readonly locker: PostgresSessionLocker,
    private readonly conn: Connection,
  ) {}

  /** Checks that the holding session is alive and still holds the advisory lock (in pg_locks). */
  async assertHeld(conn: Connection): Promise<void> {
    if (this.released) throw new LockLostError('The migration lock was already released by this run.');
    if (this.conn.closed) {
      throw new LockLostError('The session holding the migration lock is gone (connection lost), so the server released the lock; this run stopped before writing history.');
    }
    if (!(await this.locker.heldBy(conn, this.conn.sessionId))) {
      throw new LockLostError(
        `The session holding the migration lock (pid ${this.conn.sessionId}) no longer holds advisory lock ${this.locker.key}; this run stopped before writing history.`,
      );
    }
  }

  /**
   * The lock check as one statement for the migration's own round trip (see `guardSql`): raises
   * when another session holds the advisory lock. Only on the holding session itself.
   */
  heldGuard(conn: Connection): SqlQuery | undefined {
    if (this.released || this.conn.closed || conn !== this.conn) return undefined;
    return { sql: this.locker.guardSql() };
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.conn.closed) return;
    await this.conn.query('SELECT pg_advisory_unlock($1::bigint) AS ok', [this.locker.key]).catch(() => undefined);
  }
}

/**
 * The `session` lock on MySQL/MariaDB: a named user-level lock, `GET_LOCK(name, 0)`, polled by
 * `pollForLock` (never a blocking wait) on the session that runs the migrations; the server frees
 * it when that session ends (process killed, connection cut, `KILL <id>`).
 *
 * Lock names are server-wide (not per database) and at most 64 characters, so the name is
 * `godwit:` + the first 32 hex digits of SHA-256(targetKeyText(target)): the target includes the
 * database and the history table, so two databases on one server, or two history tables in one
 * database, never block each other. The name of a target never changes between releases (a test
 * pins it), so old and new versions always exclude each other.
 *
 * Every answer is checked: GET_LOCK 1 = ours, 0 = held by another session, NULL = an error on the
 * server (thrown). Locks are re-entrant per session on both servers (a second GET_LOCK on the same
 * session stacks), so acquiring a lock this session already holds is refused as a bug instead of
 * silently stacking. RELEASE_LOCK runs on the same session; a dead session already released it.
 *
 * holder(): IS_USED_LOCK(name) gives the holder's connection id; information_schema.PROCESSLIST
 * gives its user, client host:port and state (only with the PROCESS privilege for other users'
 * sessions); performance_schema.session_connect_attrs gives its `program_name`
 * (`godwit <version> <host>`) where performance_schema is on (MySQL by default; MariaDB only if
 * enabled). Neither server records since when a lock is held, so `since` stays unknown.
 * In SHOW PROCESSLIST the lock query itself shows as `SELECT /* godwit <version> <host> *\/ ...`.
 */
import { createHash } from 'node:crypto';
import { GodwitError, LockLostError } from '../../core/errors.js';
import type { Connection, Row } from '../driver.js';
import type { AcquireOptions, Lease, Locker, LockHolder } from '../locker.js';
import { pollForLock } from '../poll-lock.js';
import { targetKeyText, type Target } from '../target.js';

/** Hex digits of the hash kept in the lock name (7 + 32 = 39 of MySQL's 64 characters). */
export const LOCK_NAME_HASH_HEX = 32;

/** The server-wide GET_LOCK name of a target. Never change it (see the file comment). */
export function mysqlLockName(target: Target): string {
  return `godwit:${createHash('sha256').update(targetKeyText(target), 'utf8').digest('hex').slice(0, LOCK_NAME_HASH_HEX)}`;
}

/** Text safe inside a `/* ... *\/` comment. */
export function commentText(s: string): string {
  return s.replace(/\*\//g, '* /').replace(/[^\x20-\x7e]/g, '?').slice(0, 120);
}

function answer(rows: Row[], column: string): number | null {
  const v = rows[0]?.[column];
  if (v === null || v === undefined) return null;
  return Number(v);
}

export class MysqlSessionLocker implements Locker {
  readonly mode = 'session' as const;
  /** GET_LOCK writes nothing. */
  readonly acquireWrites = false;
  /** The GET_LOCK name (`godwit:<32 hex>`). */
  readonly lockName: string;
  private readonly describe: string;

  constructor(readonly target: Target) {
    this.lockName = mysqlLockName(target);
    this.describe = `${target.database}.${target.table} (GET_LOCK '${this.lockName}')`;
  }

  async acquire(conn: Connection, options: AcquireOptions): Promise<Lease> {
    const name = this.lockName;
    const comment = `/* ${commentText(options.owner)} */`;
    await pollForLock(
      async () => {
        // 2 = this session already holds it (GET_LOCK would stack a second, re-entrant hold).
        const rows = await conn.query(`SELECT ${comment} IF(IS_USED_LOCK('${name}') = CONNECTION_ID(), 2, GET_LOCK('${name}', 0)) AS got`);
        const got = answer(rows, 'got');
        if (got === 1) return true;
        if (got === 0) return false;
        if (got === 2) {
          throw new GodwitError('INTERNAL', `This session (connection ${conn.sessionId}) already holds the migration lock on ${this.describe}; it was acquired twice.`);
        }
        throw new GodwitError(
          'INTERNAL',
          `GET_LOCK('${name}', 0) answered NULL on ${this.target.database}: the server reported an error taking the migration lock (out of memory, or the session was killed). Run again; if it persists, check the server log.`,
        );
      },
      () => this.holder(conn),
      options,
      this.describe,
    );
    return new MysqlSessionLease(this, conn);
  }

  async holder(conn: Connection): Promise<LockHolder | undefined> {
    const id = answer(await conn.query(`SELECT IS_USED_LOCK('${this.lockName}') AS id`), 'id');
    if (id === null) return undefined;
    let proc: Row | undefined;
    try {
      proc = (await conn.query('SELECT USER AS user, HOST AS host, COMMAND AS command, TIME AS time FROM information_schema.PROCESSLIST WHERE ID = ?', [id]))[0];
    } catch {
      // no privilege or no such view: the connection id is still worth naming
    }
    let program: string | undefined;
    try {
      const r = await conn.query("SELECT ATTR_VALUE AS v FROM performance_schema.session_connect_attrs WHERE PROCESSLIST_ID = ? AND ATTR_NAME = 'program_name'", [id]);
      if (typeof r[0]?.v === 'string' && r[0].v !== '') program = r[0].v;
    } catch {
      // performance_schema off or not readable
    }
    const client = proc ? `${String(proc.user)}@${String(proc.host)}` : undefined;
    const state = proc ? (String(proc.command) === 'Sleep' ? `idle ${Number(proc.time)}s` : `busy ${Number(proc.time)}s`) : undefined;
    const details = [`connection ${id}`, program ? client : undefined, state].filter((x): x is string => !!x).join(', ');
    return { who: `${program ?? client ?? 'another session'} (${details})`, sessionId: String(id) };
  }

  /** A session lock cannot be taken from another session; the server frees it when the holder's session ends. */
  async forceRelease(_conn: Connection): Promise<boolean> {
    return false;
  }
}

class MysqlSessionLease implements Lease {
  readonly mode = 'session' as const;
  private released = false;

  constructor(
    private readonly locker: MysqlSessionLocker,
    private readonly conn: Connection,
  ) {}

  /** Checks on the server that the lock is still held by the session that took it. */
  async assertHeld(conn: Connection): Promise<void> {
    const where = `${this.locker.target.database}.${this.locker.target.table}`;
    if (this.released) throw new LockLostError(`The migration lock on ${where} was already released by this run.`);
    const id = answer(await conn.query(`SELECT IS_USED_LOCK('${this.locker.lockName}') AS id`), 'id');
    if (id === null || String(id) !== this.conn.sessionId) {
      throw new LockLostError(
        `The migration lock on ${where} is no longer held by this run's session (connection ${this.conn.sessionId}; ${id === null ? 'nobody holds it' : `connection ${id} holds it`}); this run stopped before writing history. Run again.`,
      );
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    if (this.conn.closed) return;
    try {
      // 1 = released; 0 = not ours; NULL = nobody held it. Either way it is not ours any more.
      await this.conn.query(`SELECT RELEASE_LOCK('${this.locker.lockName}') AS released`);
    } catch {
      // A dead session has already released it.
    }
  }
}

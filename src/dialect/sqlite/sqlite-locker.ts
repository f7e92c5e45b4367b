/**
 * The SQLite session lock: mutual exclusion between processes on one database file, freed by the
 * operating system when the holder dies (SIGKILL included).
 *
 * How: next to the database sits a companion lock file `<db>-godwit-<table>.lock` (an empty SQLite
 * database of its own, one per history table, so two apps with separate history tables in one file
 * never block each other). The holder keeps an open `BEGIN EXCLUSIVE` transaction on it for the
 * lease's life. SQLite's locks are POSIX advisory file locks, which the kernel drops when the process
 * exits however it exits, and SQLite also excludes two connections of one process. Waiters poll a
 * try-lock (`BEGIN EXCLUSIVE` with busy_timeout 0) through `pollForLock`; between polls they hold
 * nothing. The main database file is never locked by this, so migrations write to it freely.
 *
 * Who holds it: the holder writes `<lock>.json` (pid, host, owner, since) after taking the lock and
 * deletes it before releasing; `holder()` asks SQLite whether the lock file is locked (a read with
 * busy_timeout 0, which takes no lock that outlives the call) and reports the JSON only then, so a
 * stale JSON left by a killed holder is never reported.
 *
 * Rules that keep the lock sound: never delete the `.lock` file (a waiter could lock a new inode
 * while the holder still locks the old one) and never open it with plain `fs` calls in a holder
 * process (closing any descriptor of a file drops that process's POSIX locks on it).
 * Network file systems without working POSIX locks cannot host the lock; use `--lock-mode lease`.
 *
 * Closing the session (`conn.close()`) releases its lease, as on the server dialects.
 * `:memory:` databases live in one process: an in-process lock keyed on the target suffices.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError, LockLostError, messageOf } from '../../core/errors.js';
import type { Connection } from '../driver.js';
import type { AcquireOptions, Lease, LockHolder, Locker } from '../locker.js';
import { pollForLock } from '../poll-lock.js';
import { targetKeyText, type Target } from '../target.js';
import { isBusy, loadBetterSqlite3, SqliteConnection, toGodwitError } from './sqlite-driver.js';

/**
 * The lock file for a target. Pinned by a test: changing it would let an old and a new release
 * run at the same time. Keyed on the table (lower case: SQLite names are case-insensitive), and
 * placed next to the database file, which identifies the database whatever path it is mounted at.
 */
export function sqliteLockFile(target: Target): string {
  const table = target.table.toLowerCase();
  const part = /^[a-z0-9_]{1,64}$/.test(table) ? table : `h${createHash('sha256').update(table).digest('hex').slice(0, 16)}`;
  return `${target.database}-godwit-${part}.lock`;
}

interface HolderInfo {
  readonly pid: number;
  readonly host: string;
  readonly owner: string;
  readonly since: string;
}

function holderOf(info: HolderInfo | undefined): LockHolder {
  if (!info) return { who: 'another process (no holder details yet)' };
  const since = new Date(info.since);
  return {
    who: `${info.owner} (pid ${info.pid} on ${info.host})`,
    ...(Number.isNaN(since.getTime()) ? {} : { since }),
    sessionId: String(info.pid),
  };
}

/** In-process locks for `:memory:` targets. */
const memoryLocks = new Map<string, HolderInfo>();

export class SqliteSessionLocker implements Locker {
  readonly mode = 'session' as const;
  /** The companion lock file beside the database. */
  readonly acquireWrites = true;
  private readonly lockFile: string | undefined;
  private readonly infoFile: string | undefined;
  private readonly describe: string;

  constructor(private readonly target: Target) {
    if (target.database === ':memory:') {
      this.describe = `${target.table} in an in-memory SQLite database`;
    } else {
      this.lockFile = sqliteLockFile(target);
      this.infoFile = `${this.lockFile}.json`;
      this.describe = `${target.table} in ${target.database} (lock file ${this.lockFile})`;
    }
  }

  async acquire(conn: Connection, options: AcquireOptions): Promise<Lease> {
    const info = (): HolderInfo => ({ pid: process.pid, host: hostname(), owner: options.owner, since: new Date().toISOString() });
    if (!this.lockFile || !this.infoFile) {
      const key = targetKeyText(this.target);
      await pollForLock(
        async () => {
          if (memoryLocks.has(key)) return false;
          memoryLocks.set(key, info());
          return true;
        },
        () => this.holder(conn),
        options,
        this.describe,
      );
      return new SqliteLease(conn, () => memoryLocks.delete(key));
    }
    const lockFile = this.lockFile;
    const infoFile = this.infoFile;
    const Database = await loadBetterSqlite3();
    let lockDb: BetterSqlite3.Database;
    try {
      lockDb = new Database(lockFile, { timeout: 0 });
    } catch (e) {
      throw new ConfigError(
        `Cannot open the SQLite lock file ${lockFile}: ${messageOf(e)}. The directory of the database must exist and be writable.`,
        { file: lockFile },
        { cause: e },
      );
    }
    try {
      await pollForLock(
        async () => {
          try {
            lockDb.exec('BEGIN EXCLUSIVE');
            return true;
          } catch (e) {
            if (isBusy(e)) return false;
            throw toGodwitError(e);
          }
        },
        () => this.holder(conn),
        options,
        this.describe,
      );
    } catch (e) {
      lockDb.close();
      throw e;
    }
    writeInfo(infoFile, info());
    return new SqliteLease(conn, () => {
      try {
        unlinkSync(infoFile);
      } catch {
        // already gone
      }
      try {
        if (lockDb.open && lockDb.inTransaction) lockDb.exec('ROLLBACK');
      } catch {
        // closing below releases it anyway
      }
      try {
        lockDb.close();
      } catch {
        // release never throws
      }
    }, () => lockDb.open && lockDb.inTransaction);
  }

  async holder(_conn: Connection): Promise<LockHolder | undefined> {
    if (!this.lockFile || !this.infoFile) {
      const h = memoryLocks.get(targetKeyText(this.target));
      return h ? holderOf(h) : undefined;
    }
    if (!existsSync(this.lockFile)) return undefined;
    const Database = await loadBetterSqlite3();
    let probe: BetterSqlite3.Database;
    try {
      probe = new Database(this.lockFile, { readonly: true, fileMustExist: true, timeout: 0 });
    } catch {
      return undefined;
    }
    try {
      probe.prepare('SELECT count(*) FROM sqlite_master').get();
      return undefined;
    } catch (e) {
      if (!isBusy(e)) throw toGodwitError(e);
      return holderOf(readInfo(this.infoFile));
    } finally {
      probe.close();
    }
  }

  /** The OS frees a session lock when its holder process exits; there is nothing to force. */
  async forceRelease(_conn: Connection): Promise<boolean> {
    return false;
  }
}

class SqliteLease implements Lease {
  readonly mode = 'session' as const;
  private released = false;
  private readonly unhook: (() => void) | undefined;

  constructor(
    conn: Connection,
    private readonly free: () => void,
    private readonly stillLocked: () => boolean = () => true,
  ) {
    this.unhook = conn instanceof SqliteConnection ? conn.onClose(() => void this.release()) : undefined;
  }

  async assertHeld(conn: Connection): Promise<void> {
    if (this.released || !this.stillLocked()) {
      throw new LockLostError('The SQLite migration lock was released while the run was still going; stopped before writing history.');
    }
    if (conn.closed) {
      throw new LockLostError('The SQLite connection of this run is closed, which released the migration lock; stopped before writing history.');
    }
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    this.unhook?.();
    this.free();
  }
}

function writeInfo(file: string, info: HolderInfo): void {
  const tmp = `${file}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(info) + '\n');
    renameSync(tmp, file);
  } catch {
    // Holder details are informational; the lock itself is held.
    try {
      unlinkSync(tmp);
    } catch {
      // nothing written
    }
  }
}

function readInfo(file: string): HolderInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as Partial<HolderInfo>;
    if (typeof v.pid !== 'number' || typeof v.owner !== 'string') return undefined;
    return { pid: v.pid, host: String(v.host ?? '?'), owner: v.owner, since: String(v.since ?? '') };
  } catch {
    return undefined;
  }
}

/**
 * `Connection` over better-sqlite3 (loaded lazily with dynamic `import()`).
 *
 * better-sqlite3 is synchronous: every call runs to completion on the calling thread, so the
 * methods here are async wrappers and `cancel()` has nothing to cancel (capabilities.cancelStatement
 * is false). Each session sets:
 * - `busy_timeout` (default 5000 ms, `?busy_timeout=MS` in the URL): a writer that finds the file
 *   locked by another process waits that long before failing with SQLITE_BUSY;
 * - `journal_mode = WAL` for file databases (`?journal_mode=` overrides), so readers (e.g. the
 *   no-op fast path, `godwit wait`) are not blocked by a running migration;
 * - `foreign_keys` as asked (off unless `foreignKeys`; see sqlite-dialect.ts for why off is the default).
 * Transactions start with `BEGIN IMMEDIATE` (the write lock up front), so two writers never
 * deadlock upgrading a read lock.
 *
 * Errors: a file that cannot be opened (missing directory, not a database, no permission) is a
 * `ConfigError` naming the path; a statement error is a `DatabaseError` whose `sqlState` is the
 * SQLite (extended) result code, e.g. `SQLITE_ERROR`, `SQLITE_BUSY`, `SQLITE_CONSTRAINT_PRIMARYKEY`;
 * using a closed connection is a `ConnectionError`.
 */
import { dirname } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { ConfigError, ConnectionError, GodwitError, messageOf } from '../../core/errors.js';
import { DatabaseError, type Connection, type QueryOptions, type Row } from '../driver.js';

type SqliteDb = BetterSqlite3.Database;
type SqliteStatement = BetterSqlite3.Statement<unknown[], unknown>;
type SqliteConstructor = typeof BetterSqlite3;

export const DEFAULT_BUSY_TIMEOUT_MS = 5000;

let driver: Promise<SqliteConstructor> | undefined;

/** The better-sqlite3 constructor, imported on first use only. */
export function loadBetterSqlite3(): Promise<SqliteConstructor> {
  driver ??= import('better-sqlite3').then(
    (m) => m.default,
    (e: unknown) => {
      driver = undefined;
      throw new ConfigError(
        `The SQLite driver (better-sqlite3) could not be loaded: ${messageOf(e)}. Reinstall godwit so its native module is built for this Node.js.`,
        {},
        { cause: e },
      );
    },
  );
  return driver;
}

/** The SQLite result code of a driver error (`SQLITE_BUSY`, ...), or of a wrapped `DatabaseError`. */
export function sqliteCode(e: unknown): string | undefined {
  if (e instanceof DatabaseError) return e.sqlState;
  if (e && typeof e === 'object' && 'code' in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === 'string' && code.startsWith('SQLITE_')) return code;
  }
  return undefined;
}

/** Whether an error means "the file is locked by another connection" (SQLITE_BUSY*, SQLITE_LOCKED*). */
export function isBusy(e: unknown): boolean {
  const code = sqliteCode(e);
  return code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Where in `sql` SQLite's message points, as a 1-based offset, when it names a token that occurs
 * exactly once there (`near "FROMM": syntax error`, `no such column: emial`). SQLite reports no
 * position through better-sqlite3; this lets core name the right line of a multi-line statement.
 */
export function errorPosition(sql: string | undefined, message: string): number | undefined {
  if (!sql) return undefined;
  const m = /near "((?:[^"]|"")+)": syntax error/.exec(message) ?? /no such column: ([^\s]+)/.exec(message);
  if (!m) return undefined;
  const token = m[1]!.replace(/""/g, '"');
  const word = /^\w+$/.test(token);
  const re = new RegExp(word ? `(?<![\\w$])${token}(?![\\w$])` : token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), word ? 'gi' : 'g');
  const hits = [...sql.matchAll(re)];
  return hits.length === 1 ? hits[0]!.index! + 1 : undefined;
}

/** Map a driver error to a `GodwitError`; `sql` (the statement that failed) locates syntax errors. */
export function toGodwitError(e: unknown, sql?: string): GodwitError {
  if (e instanceof GodwitError) return e;
  const message = messageOf(e);
  const code = sqliteCode(e);
  if (code !== undefined) {
    const position = errorPosition(sql, message);
    return new DatabaseError(message, { sqlState: code, ...(position ? { position } : {}) }, { databaseMessage: message }, { cause: e });
  }
  if (e instanceof TypeError && /not open/i.test(message)) {
    return new ConnectionError(`The SQLite connection is closed: ${message}`, {}, { cause: e });
  }
  return new DatabaseError(message, {}, { databaseMessage: message }, { cause: e });
}

const OPEN_CODES = new Set(['SQLITE_CANTOPEN', 'SQLITE_NOTADB', 'SQLITE_PERM', 'SQLITE_READONLY', 'SQLITE_AUTH', 'SQLITE_CORRUPT']);

function openError(file: string, e: unknown): ConfigError {
  const message = messageOf(e);
  const hint = /directory does not exist/i.test(message)
    ? `the directory ${dirname(file)} does not exist; create it or fix the path in the URL`
    : sqliteCode(e) === 'SQLITE_NOTADB'
      ? 'the file is not an SQLite database; check the path in the URL'
      : 'check the path and that the directory is writable';
  return new ConfigError(`Cannot open SQLite database ${file}: ${message} (${hint}).`, { file }, { cause: e });
}

export interface SqliteOpenOptions {
  readonly busyTimeoutMs?: number;
  /** Journal mode for file databases; default WAL. */
  readonly journalMode?: string;
  /** Enforce foreign keys (`PRAGMA foreign_keys`); default false, SQLite's own default. */
  readonly foreignKeys?: boolean;
}

/**
 * Open a session on `file` (an absolute path or ':memory:'). Rejects with `ConfigError` when the
 * file cannot be opened or is not a database.
 */
export async function openSqlite(file: string, options: SqliteOpenOptions = {}): Promise<SqliteConnection> {
  const Database = await loadBetterSqlite3();
  const busy = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  let db: SqliteDb;
  try {
    db = new Database(file, { timeout: busy });
  } catch (e) {
    throw openError(file, e);
  }
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busy))}`);
    if (file !== ':memory:') {
      const mode = options.journalMode ?? 'WAL';
      if (!/^[A-Za-z]+$/.test(mode)) throw new ConfigError(`Bad SQLite journal_mode "${mode}" for ${file}.`, { file });
      try {
        db.pragma(`journal_mode = ${mode}`);
      } catch (e) {
        // Another process switching the mode at the same instant: the mode is persistent in the
        // file, so whichever process wins leaves it set. Anything else is a real problem.
        if (!isBusy(e)) throw e;
      }
    }
    db.pragma(`foreign_keys = ${options.foreignKeys ? 'ON' : 'OFF'}`);
  } catch (e) {
    db.close();
    if (e instanceof GodwitError) throw e;
    const base = sqliteCode(e)?.split('_').slice(0, 2).join('_');
    if (base && OPEN_CODES.has(base)) throw openError(file, e);
    if (isBusy(e)) throw new ConnectionError(`SQLite database ${file} stayed locked while opening it: ${messageOf(e)}`, { file }, { cause: e });
    throw openError(file, e);
  }
  return new SqliteConnection(db, file, { ...options, busyTimeoutMs: busy });
}

/**
 * busy_timeout of forked sessions. better-sqlite3 waits for a lock on the calling thread, so a
 * side session (the lease heartbeat) that waited behind a running migration's write lock would
 * stall the whole process, the migration included. It gives up at once instead; the lease
 * heartbeat just tries again later, and `assertHeld` renews inside the migration's transaction.
 */
export const FORK_BUSY_TIMEOUT_MS = 0;

const STATEMENT_CACHE_SIZE = 64;

function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof Date) return v.toISOString();
  return v;
}

export class SqliteConnection implements Connection {
  readonly sessionId: string = String(process.pid);
  private db: SqliteDb | undefined;
  private readonly statements = new Map<string, SqliteStatement>();
  private readonly closeHooks = new Set<() => void>();
  private transactionOpen = false;

  /** @param file the absolute path of the database file, or ':memory:' */
  /**
   * Another session on the same file (not for `:memory:`, which no other session can reach), with
   * the same settings except busy_timeout (see FORK_BUSY_TIMEOUT_MS).
   */
  readonly fork?: () => Promise<Connection>;
  private readonly defaultBusyTimeoutMs: number;

  constructor(
    db: SqliteDb,
    readonly file: string,
    options: SqliteOpenOptions = {},
  ) {
    this.db = db;
    this.defaultBusyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    if (file !== ':memory:') this.fork = () => openSqlite(file, { ...options, busyTimeoutMs: FORK_BUSY_TIMEOUT_MS });
  }

  /** Set the session's busy_timeout in ms; undefined restores the value it was opened with. */
  setBusyTimeout(ms: number | undefined): void {
    const v = Math.max(0, Math.floor(ms ?? this.defaultBusyTimeoutMs));
    try {
      this.handle().pragma(`busy_timeout = ${v}`);
    } catch (e) {
      throw toGodwitError(e);
    }
  }

  get closed(): boolean {
    return this.db === undefined || !this.db.open;
  }

  private handle(): SqliteDb {
    const db = this.db;
    if (!db || !db.open) throw new ConnectionError(`The SQLite connection to ${this.file} is closed.`, { file: this.file });
    return db;
  }

  async exec(sql: string, _options?: QueryOptions): Promise<void> {
    const db = this.handle();
    try {
      db.exec(sql);
    } catch (e) {
      throw toGodwitError(e, sql);
    }
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = [], _options?: QueryOptions): Promise<T[]> {
    const db = this.handle();
    try {
      let st = this.statements.get(sql);
      if (!st) {
        st = db.prepare<unknown[], unknown>(sql);
        if (this.statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = this.statements.keys().next().value;
          if (oldest !== undefined) this.statements.delete(oldest);
        }
        this.statements.set(sql, st);
      }
      const args = params.map(bindable);
      if (st.reader) return st.all(...args) as T[];
      st.run(...args);
      return [];
    } catch (e) {
      throw toGodwitError(e, sql);
    }
  }

  async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    const db = this.handle();
    if (this.transactionOpen) throw new GodwitError('INTERNAL', 'inTransaction() is not nestable (a transaction is already open on this SQLite connection).');
    try {
      db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      throw toGodwitError(e);
    }
    this.transactionOpen = true;
    try {
      const result = await fn();
      try {
        db.exec('COMMIT');
      } catch (e) {
        throw toGodwitError(e);
      }
      return result;
    } catch (e) {
      if (db.open && db.inTransaction) {
        try {
          db.exec('ROLLBACK');
        } catch {
          // The connection is unusable; closing it below is the caller's business.
        }
      }
      throw e;
    } finally {
      this.transactionOpen = false;
    }
  }

  /** Nothing to cancel: a synchronous driver never has a statement running while JS runs. */
  async cancel(): Promise<void> {}

  /**
   * Call `hook` once when this connection closes. Used by the session locker so that closing the
   * session frees its lock, as it does on the server dialects. Returns an unregister function.
   */
  onClose(hook: () => void): () => void {
    this.closeHooks.add(hook);
    return () => this.closeHooks.delete(hook);
  }

  async close(): Promise<void> {
    const db = this.db;
    if (!db) return;
    this.db = undefined;
    for (const hook of [...this.closeHooks]) {
      try {
        hook();
      } catch {
        // close never throws
      }
    }
    this.closeHooks.clear();
    this.statements.clear();
    try {
      if (db.open) db.close();
    } catch {
      // close never throws
    }
  }
}

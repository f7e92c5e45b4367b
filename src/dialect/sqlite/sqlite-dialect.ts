/**
 * The SQLite dialect (better-sqlite3). One file database (or `:memory:`) per URL; no schemas;
 * transactional DDL; a cross-process file lock as the session lock (see sqlite-locker.ts); the
 * shared lease lock (lease-locker.ts) with its row in `<table>_lock` in the database file.
 *
 * URL parameters (`sqlite:app.db?busy_timeout=10000`):
 * - `busy_timeout` (ms, default 5000): how long a statement waits for another process's write lock;
 * - `journal_mode` (default WAL for files);
 * - `foreign_keys` (`on`/`off`, default off, SQLite's own default and that of goose,
 *   golang-migrate and dbmate: with it on, the usual table-rebuild migration (create new, copy,
 *   DROP old, rename) would run the old table's ON DELETE actions and delete child rows, and the
 *   `PRAGMA foreign_keys=OFF` those migrations carry is ignored inside a transaction).
 */
import { isAbsolute, resolve } from 'node:path';
import { BadMigrationError, ConfigError } from '../../core/errors.js';
import { splitSqlite } from '../../sql/split-sqlite.js';
import { defaultCapabilities, type Capabilities } from '../capabilities.js';
import type { DatabaseUrl } from '../database-url.js';
import type { ConnectOptions, Dialect, InterruptedOutcome, SplitStatement } from '../dialect.js';
import type { Connection } from '../driver.js';
import type { HistoryStore } from '../history-store.js';
import type { Locker, LockMode } from '../locker.js';
import { SqlHistoryStore } from '../sql-history-store.js';
import type { Target } from '../target.js';
import { DEFAULT_BUSY_TIMEOUT_MS, isBusy, openSqlite, SqliteConnection } from './sqlite-driver.js';
import { sqliteFlavor } from './sqlite-flavor.js';
import { SqliteSessionLocker } from './sqlite-locker.js';
import { sqliteLeaseSpec } from './sqlite-lease.js';
import { LeaseLocker } from '../lease-locker.js';
import { probeSqliteInterrupted } from './sqlite-probe.js';
import { inspectSqliteSchema } from './sqlite-inspector.js';
import type { SchemaSnapshot } from '../../schema/schema-snapshot.js';

export const sqliteCapabilities: Capabilities = Object.freeze({
  ...defaultCapabilities,
  transactionalDdl: true,
  advisoryLocks: false,
  cancelStatement: false,
  ddlLockTimeout: false,
  schemas: false,
});

function strip(sql: string): string {
  return sql.replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?(\*\/|$))+/, '');
}

/**
 * Statements SQLite refuses or silently ignores inside a transaction: VACUUM (also VACUUM INTO),
 * DETACH ("database is locked" once the transaction touched it), and changing the journal mode
 * (ignored). ATTACH works inside a transaction in current SQLite, so it is not listed.
 */
const OUTSIDE = /^(VACUUM\b|DETACH\b|PRAGMA\s+(?:[A-Za-z_][A-Za-z0-9_]*\s*\.\s*)?journal_mode\s*=)/i;

function parseBool(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (/^(on|true|1|yes)$/i.test(value)) return true;
  if (/^(off|false|0|no)$/i.test(value)) return false;
  throw new ConfigError(`Bad SQLite URL parameter ${name}=${value}: use on or off.`);
}

function parseMs(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new ConfigError(`Bad SQLite URL parameter ${name}=${value}: use a whole number of milliseconds.`);
  return n;
}

export const sqliteDialect: Dialect = Object.freeze({
  name: 'sqlite' as const,
  capabilities: sqliteCapabilities,

  async connect(options: ConnectOptions): Promise<Connection> {
    const { url } = options;
    const file = url.file;
    if (!file) throw new ConfigError(`The SQLite URL "${url.masked}" names no file. Example: sqlite:./app.db`);
    return openSqlite(file === ':memory:' || isAbsolute(file) ? file : resolve(file), {
      busyTimeoutMs: parseMs('busy_timeout', url.params.busy_timeout, DEFAULT_BUSY_TIMEOUT_MS),
      journalMode: url.params.journal_mode,
      foreignKeys: parseBool('foreign_keys', url.params.foreign_keys, false),
    });
  },

  async resolveTarget(conn: Connection, url: DatabaseUrl, table: string): Promise<Target> {
    if (table.length === 0) throw new ConfigError('The history table name is empty.');
    if (table.includes('.')) {
      throw new ConfigError(`SQLite has no schemas: use a plain history table name instead of "${table}".`);
    }
    let database = conn instanceof SqliteConnection ? conn.file : url.file;
    if (!database) throw new ConfigError(`The SQLite URL "${url.masked}" names no file.`);
    if (database !== ':memory:' && !isAbsolute(database)) database = resolve(database);
    return Object.freeze({ database, schema: undefined, table });
  },

  createLocker(target: Target, mode: LockMode): Locker {
    return mode === 'lease' ? new LeaseLocker(sqliteLeaseSpec, target) : new SqliteSessionLocker(target);
  },

  createHistoryStore(target: Target): HistoryStore {
    return new SqlHistoryStore(sqliteFlavor, undefined, target.table);
  },

  /** Refuses sqlite3 shell dot-commands (`.import`, `.read`, ...): they are not SQL. */
  async splitStatements(text: string): Promise<SplitStatement[]> {
    const statements = splitSqlite(text);
    for (const st of statements) {
      const m = /^\.[A-Za-z]+[^\n]*/.exec(st.sql);
      if (m) {
        throw new BadMigrationError(
          `"${m[0].trim()}" is a sqlite3 shell command, not SQL; Godwit sends statements to SQLite directly. Write it as SQL (ATTACH for .open, INSERT for .import) or run it outside the migration.`,
          { line: st.lineOffset + 1, statement: m[0].trim() },
        );
      }
    }
    return statements;
  },

  /**
   * SQLite has no per-statement lock timeout; the nearest thing is the session's busy_timeout
   * (how long a statement waits for another process's write lock). `ms > 0` sets it; 0 restores
   * the connection's configured busy_timeout (never "wait forever").
   */
  async setLockTimeout(conn: Connection, ms: number): Promise<void> {
    if (conn instanceof SqliteConnection) conn.setBusyTimeout(ms > 0 ? ms : undefined);
  },

  /** SQLITE_BUSY / SQLITE_LOCKED (and their extended codes): the busy_timeout ran out. */
  isLockTimeout(error: unknown): boolean {
    return isBusy(error);
  },

  mustRunOutsideTransaction(sql: string): boolean {
    return OUTSIDE.test(strip(sql));
  },

  probeInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome> {
    return probeSqliteInterrupted(conn, sql);
  },

  /** No server, no pooler. */
  async detectTransactionPooler(_conn: Connection): Promise<string | undefined> {
    return undefined;
  },

  inspectSchema(conn: Connection): Promise<SchemaSnapshot> {
    return inspectSqliteSchema(conn);
  },
});

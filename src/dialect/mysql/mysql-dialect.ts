/**
 * The MySQL / MariaDB dialect (`mysql2`, loaded lazily). MariaDB is the same dialect: a
 * `mariadb://` URL or a server version string containing "MariaDB" marks the variant where the
 * two differ (nothing Godwit uses today differs in behaviour; the connection exposes `isMariaDb`).
 *
 * - Sessions: mysql-driver.ts (UTC DATETIMEs, program_name connect attribute, KILL QUERY cancel).
 * - Statements: split by ../../sql/split-mysql.ts (quotes, backticks, comments, DELIMITER).
 * - Locks: `session` = GET_LOCK (mysql-locker.ts); `lease` = the generic lease row
 *   (../lease-locker.ts with mysql-lease.ts).
 * - History: the shared SqlHistoryStore with mysqlFlavor; tables are always qualified with the
 *   target's database, so a migration that runs `USE other` cannot redirect history writes, and
 *   `--table otherdb.godwit_migrations` keeps the history in another database (mysql-target.ts).
 * - DDL is not transactional (every DDL statement commits implicitly): capabilities say so, and
 *   core records each statement's completion; `probeInterrupted` asks the catalog (mysql-probe.ts).
 * - `detectTransactionPooler` detects nothing: ProxySQL / MaxScale multiplexing is out of scope
 *   (through such a proxy use --lock-mode lease).
 */
import { defaultCapabilities, type Capabilities } from '../capabilities.js';
import type { DatabaseUrl } from '../database-url.js';
import type { ConnectOptions, Dialect, InterruptedOutcome, SplitStatement } from '../dialect.js';
import type { Connection } from '../driver.js';
import type { HistoryStore } from '../history-store.js';
import { LeaseLocker } from '../lease-locker.js';
import type { Locker, LockMode } from '../locker.js';
import { SqlHistoryStore } from '../sql-history-store.js';
import type { Target } from '../target.js';
import { splitMysql } from '../../sql/split-mysql.js';
import { openMysql } from './mysql-driver.js';
import { mysqlErrno } from './mysql-errors.js';
import { mysqlFlavor } from './mysql-flavor.js';
import { mysqlLeaseSpec } from './mysql-lease.js';
import { MysqlSessionLocker } from './mysql-locker.js';
import { probeMysqlInterrupted } from './mysql-probe.js';
import { resolveMysqlTarget } from './mysql-target.js';
import { inspectMysqlSchema } from './mysql-inspector.js';
import type { SchemaSnapshot } from '../../schema/schema-snapshot.js';

export const mysqlCapabilities: Capabilities = Object.freeze({
  ...defaultCapabilities,
  transactionalDdl: false,
  advisoryLocks: true,
  cancelStatement: true,
  ddlLockTimeout: true,
  schemas: false,
});

/** lock_wait_timeout's maximum (one year), used for "no timeout". */
const MAX_LOCK_WAIT_S = 31_536_000;
/** innodb_lock_wait_timeout for "no timeout": MariaDB's maximum (MySQL allows up to 1073741824). */
const MAX_INNODB_LOCK_WAIT_S = 100_000_000;

/**
 * Errors that mean "gave up waiting for a lock", so core retries with backoff:
 * 1205 ER_LOCK_WAIT_TIMEOUT (metadata locks under lock_wait_timeout and InnoDB row locks under
 * innodb_lock_wait_timeout both answer it), 1213 ER_LOCK_DEADLOCK (the server rolled the
 * transaction back: running it again is safe), 3572 ER_LOCK_NOWAIT (MySQL 8 NOWAIT).
 */
const LOCK_TIMEOUT_ERRNOS = new Set([1205, 1213, 3572]);

/** A history target whose tables are qualified with its database. */
function qualifiedByDatabase(target: Target): Target {
  return { ...target, schema: target.database };
}

export const mysqlDialect: Dialect = Object.freeze({
  name: 'mysql' as const,
  capabilities: mysqlCapabilities,

  connect(options: ConnectOptions): Promise<Connection> {
    return openMysql(options);
  },

  resolveTarget(conn: Connection, _url: DatabaseUrl, table: string): Promise<Target> {
    return resolveMysqlTarget(conn, table);
  },

  createLocker(target: Target, mode: LockMode): Locker {
    return mode === 'lease' ? new LeaseLocker(mysqlLeaseSpec, qualifiedByDatabase(target)) : new MysqlSessionLocker(target);
  },

  createHistoryStore(target: Target): HistoryStore {
    return new SqlHistoryStore(mysqlFlavor, target.database, target.table);
  },

  async splitStatements(text: string): Promise<SplitStatement[]> {
    return splitMysql(text).map(({ sql, lineOffset }) => ({ sql, lineOffset }));
  },

  /**
   * `lock_wait_timeout` (metadata locks: what an ALTER waits for, and what queues every other
   * query on the table behind it) and `innodb_lock_wait_timeout` (row locks), for the session, in
   * whole seconds rounded up (at least 1); 0 sets both to their maximum.
   */
  async setLockTimeout(conn: Connection, ms: number): Promise<void> {
    const seconds = ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
    const mdl = seconds > 0 ? Math.min(seconds, MAX_LOCK_WAIT_S) : MAX_LOCK_WAIT_S;
    const innodb = seconds > 0 ? Math.min(seconds, MAX_INNODB_LOCK_WAIT_S) : MAX_INNODB_LOCK_WAIT_S;
    await conn.exec(`SET SESSION lock_wait_timeout = ${mdl}, SESSION innodb_lock_wait_timeout = ${innodb}`);
  },

  isLockTimeout(error: unknown): boolean {
    const n = mysqlErrno(error);
    return n !== undefined && LOCK_TIMEOUT_ERRNOS.has(n);
  },

  /** Nothing is refused inside a transaction on MySQL; DDL just commits it implicitly (transactionalDdl false). */
  mustRunOutsideTransaction(_sql: string): boolean {
    return false;
  },

  probeInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome> {
    return probeMysqlInterrupted(conn, sql);
  },

  async detectTransactionPooler(_conn: Connection): Promise<string | undefined> {
    return undefined;
  },

  inspectSchema(conn: Connection): Promise<SchemaSnapshot> {
    return inspectMysqlSchema(conn);
  },
});

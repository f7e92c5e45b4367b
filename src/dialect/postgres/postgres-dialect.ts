/**
 * The PostgreSQL dialect (`pg`, loaded lazily; statements split by the real parser, libpg-query).
 *
 * - Sessions: postgres-driver.ts (application_name, keepalives, client_connection_check_interval,
 *   protocol-level cancel); errors mapped in postgres-errors.ts.
 * - Locks: `session` = advisory lock (postgres-locker.ts); `lease` = the generic lease row
 *   (../lease-locker.ts) for transaction-mode poolers.
 * - History: the shared SqlHistoryStore with postgresFlavor; tables are always schema-qualified.
 * - `mustRunOutsideTransaction` decides on the parse tree; it needs the parser loaded, which
 *   `splitStatements`, `createLocker(...).acquire` and `probeInterrupted` do (core runs
 *   migrations only under the lock). Without the parser it answers false and the server refuses
 *   the statement with its own message.
 */
import { loadedPostgresParser, loadPostgresParser, parsePostgresSync, splitPostgresText, type PostgresNode } from '../../sql/split-postgres.js';
import { mustRunOutsideTransactionPostgres } from '../../sql/postgres-outside-transaction.js';
import { defaultCapabilities, type Capabilities } from '../capabilities.js';
import type { DatabaseUrl } from '../database-url.js';
import type { ConnectOptions, Dialect, InterruptedOutcome, SplitStatement } from '../dialect.js';
import type { Connection } from '../driver.js';
import type { HistoryStore } from '../history-store.js';
import { LeaseLocker } from '../lease-locker.js';
import type { AcquireOptions, Lease, Locker, LockMode } from '../locker.js';
import { SqlHistoryStore } from '../sql-history-store.js';
import type { Target } from '../target.js';
import { connectPostgres, PostgresConnection } from './postgres-driver.js';
import { postgresFlavor, postgresLeaseSpec, sqlStateOf } from './postgres-flavor.js';
import { PostgresSessionLocker } from './postgres-locker.js';
import { detectPostgresTransactionPooler } from './postgres-pooler.js';
import { probePostgresInterrupted } from './postgres-probe.js';
import { resolvePostgresTarget } from './postgres-target.js';
import { inspectPostgresSchema } from './postgres-inspector.js';
import type { SchemaSnapshot } from '../../schema/schema-snapshot.js';

export const postgresCapabilities: Capabilities = Object.freeze({
  ...defaultCapabilities,
  transactionalDdl: true,
  advisoryLocks: true,
  concurrentIndex: true,
  cancelStatement: true,
  ddlLockTimeout: true,
  schemas: true,
});

/**
 * Loads the parser once the lock is taken, so `mustRunOutsideTransaction` has it. Not while
 * waiting: a run that leaves because others applied everything never needs it.
 */
class ParserLoadingLocker implements Locker {
  readonly mode: LockMode;
  readonly acquireWrites: boolean;
  constructor(private readonly inner: Locker) {
    this.mode = inner.mode;
    this.acquireWrites = inner.acquireWrites;
  }
  async acquire(conn: Connection, options: AcquireOptions): Promise<Lease> {
    const lease = await this.inner.acquire(conn, options);
    try {
      await loadPostgresParser();
    } catch (e) {
      await lease.release();
      throw e;
    }
    return lease;
  }
  holder(conn: Connection) {
    return this.inner.holder(conn);
  }
  forceRelease(conn: Connection) {
    return this.inner.forceRelease(conn);
  }
}

function isLockNotAvailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || error === null || error === undefined) return false;
  if (sqlStateOf(error) === '55P03') return true;
  return error instanceof Error && isLockNotAvailable(error.cause, depth + 1);
}

const DML_START = /^(INSERT|UPDATE|DELETE|SELECT|VALUES|WITH|MERGE)\b/i;

/**
 * What the splitter's parse trees said about statements split in this process: whether each must
 * run outside a transaction, so `mustRunOutsideTransaction` does not parse them again (a third of
 * the client time of applying 1000 small migrations). The same text always parses the same way.
 * Short statements only, and bounded.
 */
const outsideBySql = new Map<string, boolean>();
/** Characters held as keys: bounded (~16 MB of strings) so a large streamed file of short statements cannot grow it without end. */
let outsideChars = 0;
function rememberOutside(sql: string, node: PostgresNode): void {
  if (sql.length > 4096) return;
  if (outsideBySql.size >= 20_000 || outsideChars + sql.length > 8_000_000) {
    outsideBySql.clear();
    outsideChars = 0;
  }
  outsideBySql.set(sql, mustRunOutsideTransactionPostgres(node));
  outsideChars += sql.length;
}

export const postgresDialect: Dialect = Object.freeze({
  name: 'postgres' as const,
  capabilities: postgresCapabilities,

  /** `pglite:` URLs open the embedded PostgreSQL (pglite-driver.ts, loaded only then). */
  async connect(options: ConnectOptions): Promise<Connection> {
    if (options.url.variant === 'pglite') return (await import('./pglite-driver.js')).connectPglite(options);
    return connectPostgres(options);
  },

  resolveTarget(conn: Connection, _url: DatabaseUrl, table: string): Promise<Target> {
    return resolvePostgresTarget(conn, table);
  },

  createLocker(target: Target, mode: LockMode): Locker {
    const inner = mode === 'lease' ? new LeaseLocker(postgresLeaseSpec, target) : new PostgresSessionLocker(target);
    return new ParserLoadingLocker(inner);
  },

  createHistoryStore(target: Target): HistoryStore {
    return new SqlHistoryStore(postgresFlavor, target.schema, target.table);
  },

  async splitStatements(text: string): Promise<SplitStatement[]> {
    return splitPostgresText(text, await loadPostgresParser(), undefined, rememberOutside);
  },

  /**
   * `lock_timeout` for the migration's statements; 0 disables it. Inside a transaction opened by
   * `inTransaction` it is set transaction-locally (so through a transaction pooler it never leaks
   * into other clients' sessions); outside, for the session.
   */
  async setLockTimeout(conn: Connection, ms: number): Promise<void> {
    const local = conn instanceof PostgresConnection && conn.inTransactionBlock;
    await conn.query("SELECT set_config('lock_timeout', $1, $2)", [`${Math.max(0, Math.round(ms))}ms`, local]);
  },

  /** 55P03 lock_not_available ("canceling statement due to lock timeout"), also as a cause. */
  isLockTimeout(error: unknown): boolean {
    return isLockNotAvailable(error);
  },

  async prepare(): Promise<void> {
    await loadPostgresParser();
  },

  mustRunOutsideTransaction(sql: string): boolean {
    // One DML statement (no `;`, so no second statement) never needs to: skip re-parsing it. A
    // 200 MB data migration spent most of its client time here.
    if (DML_START.test(sql) && !sql.includes(';')) return false;
    const known = outsideBySql.get(sql);
    if (known !== undefined) return known;
    const lib = loadedPostgresParser();
    if (!lib) return false;
    try {
      return parsePostgresSync(sql, lib).some((s) => mustRunOutsideTransactionPostgres(s.node));
    } catch {
      return false;
    }
  },

  probeInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome> {
    return probePostgresInterrupted(conn, sql);
  },

  detectTransactionPooler(conn: Connection): Promise<string | undefined> {
    return detectPostgresTransactionPooler(conn);
  },

  inspectSchema(conn: Connection): Promise<SchemaSnapshot> {
    return inspectPostgresSchema(conn);
  },
});

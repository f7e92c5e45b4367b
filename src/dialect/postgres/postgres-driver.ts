/**
 * One PostgreSQL session over a `pg` Client (loaded lazily with `import()`, habit 3).
 *
 * Session set-up, so that a dead client is noticed by the server within seconds (and its advisory
 * lock freed) even in the middle of a statement:
 * - `application_name` = ConnectOptions.applicationName (`godwit <version> <host>`), replacing one
 *   given in the URL, so lock holders are recognisable in `pg_stat_activity`;
 * - client TCP keepalives (`keepAlive`, first probe after 10 s);
 * - server TCP keepalives (`tcp_keepalives_idle` 10 s, interval 5 s, count 3) and, on PostgreSQL
 *   14+, `client_connection_check_interval = 2s` (the server checks the socket while a statement
 *   runs). Failures to set these are ignored (managed services may forbid some);
 * - `statement_timeout` is left alone.
 * Through a transaction-mode pooler these SETs land on whichever server connection served them;
 * the values are harmless for other clients.
 *
 * `sessionId` is the backend pid (`pg_backend_pid()` at connect). Cancelling uses the protocol's
 * CancelRequest with the key the server (or pooler) gave this session, on a short extra socket, so
 * it also works through PgBouncer and needs no credentials.
 */
import type { Client, ClientConfig, QueryResult } from 'pg';
import { connect as netConnect } from 'node:net';
import { GodwitError } from '../../core/errors.js';
import type { ConnectOptions } from '../dialect.js';
import { DatabaseError, type Connection, type ExecTransactionOptions, type QueryOptions, type Row, type SqlQuery } from '../driver.js';
import { isConnectionLoss, mapPostgresError, type ErrorContext } from './postgres-errors.js';

type PgModule = typeof import('pg');

let pgModule: Promise<PgModule> | undefined;

function loadPg(): Promise<PgModule> {
  pgModule ??= import('pg').then((m) => ((m as unknown as { default?: PgModule }).default ?? m));
  return pgModule;
}

/** First TCP keepalive probe after this long idle (client side). */
const KEEPALIVE_DELAY_MS = 10_000;
/** How often the server checks that the client is still there while a statement runs (PG 14+). */
export const CLIENT_CHECK_INTERVAL = '2s';
/** If a cancel did not stop the statement (it raced the statement's start), ask again this often. */
const CANCEL_REPEAT_MS = 1_000;

export function clientConfig(options: ConnectOptions): ClientConfig {
  const u = new URL(options.url.raw);
  u.searchParams.delete('application_name');
  return {
    connectionString: u.toString(),
    application_name: options.applicationName,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEPALIVE_DELAY_MS,
    connectionTimeoutMillis: Math.max(1, options.attemptTimeoutMs),
  };
}

/** Open one session. Rejects with ConnectionError (retryable) or ConfigError (see postgres-errors.ts). */
export async function connectPostgres(options: ConnectOptions): Promise<PostgresConnection> {
  const pg = await loadPg();
  const ctx: ErrorContext = { masked: options.url.masked, database: options.url.database, phase: 'connect' };
  let client: Client;
  try {
    client = new pg.Client(clientConfig(options));
  } catch (e) {
    // pg validates some parameters (sslmode, sslnegotiation) in the constructor.
    throw mapPostgresError(e, { ...ctx, phase: 'query' });
  }
  const earlyErrors: unknown[] = [];
  const onEarlyError = (e: unknown) => earlyErrors.push(e);
  client.on('error', onEarlyError);
  try {
    await client.connect();
    const info = await sessionInfo(client);
    client.off('error', onEarlyError);
    return new PostgresConnection(client, options, String(info.pid), info.v);
  } catch (e) {
    client.off('error', onEarlyError);
    client.on('error', () => {});
    await client.end().catch(() => {});
    throw mapPostgresError(e, ctx);
  }
}

/** Server-side keepalives (a killed pod's session, and its advisory lock, go within ~25 s). */
const KEEPALIVES: readonly (readonly [string, string])[] = [
  ['tcp_keepalives_idle', '10'],
  ['tcp_keepalives_interval', '5'],
  ['tcp_keepalives_count', '3'],
];

/**
 * The session's pid and server version, and its keepalive settings, in ONE round trip (this runs
 * at every pod start; see docs/performance.md). `set_config` inside the SELECT does what `SET`
 * does; `client_connection_check_interval` exists from PostgreSQL 14 (CASE evaluates lazily, so
 * older servers never see the name). Servers that refuse a setting (some managed services) get
 * the plain query, then each setting on its own with its error ignored, as before.
 */
async function sessionInfo(client: Client): Promise<{ pid: number; v: number }> {
  const info = "pg_backend_pid() AS pid, current_setting('server_version_num')::int AS v";
  const sets = KEEPALIVES.map(([k, v]) => `set_config('${k}', '${v}', false)`);
  const check = `CASE WHEN current_setting('server_version_num')::int >= 140000 THEN set_config('client_connection_check_interval', '${CLIENT_CHECK_INTERVAL}', false) END`;
  try {
    const r = await client.query<{ pid: number; v: number }>(`SELECT ${info}, ${sets.join(', ')}, ${check}`);
    if (r.rows[0]) return r.rows[0];
  } catch (e) {
    if (isConnectionLoss(e)) throw e;
  }
  const r = await client.query<{ pid: number; v: number }>(`SELECT ${info}`);
  const row = r.rows[0];
  if (!row) throw new GodwitError('INTERNAL', 'PostgreSQL returned no row for pg_backend_pid()');
  const each = KEEPALIVES.map(([k, v]) => `SET ${k} = ${v}`);
  if (row.v >= 140000) each.push(`SET client_connection_check_interval = '${CLIENT_CHECK_INTERVAL}'`);
  for (const s of each) await client.query(s).catch((err: unknown) => { if (isConnectionLoss(err)) throw err; });
  return row;
}

interface ClientKey {
  processID?: number | null;
  secretKey?: number | null;
  host?: string;
  port?: number;
}

export class PostgresConnection implements Connection {
  readonly sessionId: string;
  /** `server_version_num`, e.g. 150004. */
  readonly serverVersion: number;
  private isClosed = false;
  private inTx = false;
  /** A transaction committed with `deferDurability` and not yet flushed. */
  private deferredCommits = false;
  private running = 0;
  private readonly ctx: ErrorContext;

  constructor(
    private readonly client: Client,
    private readonly options: ConnectOptions,
    sessionId: string,
    serverVersion: number,
  ) {
    this.sessionId = sessionId;
    this.serverVersion = serverVersion;
    this.ctx = { masked: options.url.masked, database: options.url.database, phase: 'query' };
    client.on('error', () => {
      this.isClosed = true;
    });
    client.on('end', () => {
      this.isClosed = true;
    });
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Whether a transaction opened by `inTransaction` is in progress. */
  get inTransactionBlock(): boolean {
    return this.inTx;
  }

  /** The pid in the cancel key the server (or a pooler in front of it) gave this session. */
  get protocolPid(): number | undefined {
    const pid = (this.client as unknown as ClientKey).processID;
    return typeof pid === 'number' ? pid : undefined;
  }

  async exec(sql: string, options?: QueryOptions): Promise<void> {
    await this.run(sql, undefined, options);
  }

  async query<T extends Row = Row>(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<T[]> {
    const r = await this.run(sql, params ?? [], options);
    const last = Array.isArray(r) ? r[r.length - 1] : r;
    return ((last as QueryResult | undefined)?.rows ?? []) as T[];
  }

  private async run(sql: string, params: readonly unknown[] | undefined, options?: QueryOptions): Promise<QueryResult | QueryResult[]> {
    const signal = options?.signal;
    if (this.isClosed) {
      throw mapPostgresError(new Error('Connection terminated: the session is closed'), { ...this.ctx, sql });
    }
    if (signal?.aborted) {
      throw new DatabaseError('canceling statement due to user request (cancelled before it started)', { sqlState: '57014' }, { statement: sql });
    }
    let repeat: NodeJS.Timeout | undefined;
    const onAbort = () => {
      void this.cancel();
      repeat = setInterval(() => void this.cancel(), CANCEL_REPEAT_MS);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.running++;
    try {
      const p = params === undefined ? this.client.query(sql) : this.client.query(sql, params as unknown[]);
      return (await p) as unknown as QueryResult | QueryResult[];
    } catch (e) {
      const mapped = mapPostgresError(e, { ...this.ctx, sql });
      if (mapped.code === 'CONNECTION') this.isClosed = true;
      throw mapped;
    } finally {
      this.running--;
      signal?.removeEventListener('abort', onAbort);
      if (repeat) clearInterval(repeat);
    }
  }

  async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx) throw new GodwitError('INTERNAL', 'inTransaction() is not nestable: a transaction is already open on this session.');
    await this.exec('BEGIN');
    this.inTx = true;
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      this.inTx = false;
      if (!this.isClosed) await this.exec('ROLLBACK').catch(() => {});
      throw e;
    }
    this.inTx = false;
    try {
      await this.exec('COMMIT');
    } catch (e) {
      if (!this.isClosed) await this.exec('ROLLBACK').catch(() => {});
      throw e;
    }
    return result;
  }

  /** See `Connection.execTransaction`: one simple-protocol query, then ROLLBACK on error. */
  async execTransaction(queries: readonly SqlQuery[], options?: ExecTransactionOptions): Promise<void> {
    if (this.inTx) throw new GodwitError('INTERNAL', 'execTransaction() inside a transaction: a transaction is already open on this session.');
    // `\n;\n`: a statement may end with a line comment, which a `;` on the same line would join.
    const defer = options?.deferDurability === true;
    const head = defer ? 'BEGIN;\nSET LOCAL synchronous_commit = off;\n' : 'BEGIN;\n';
    const text = `${head}${queries.map((q) => inlineParams(q, this.client)).join('\n;\n')}\n;\nCOMMIT`;
    if (defer) this.deferredCommits = true;
    this.inTx = true;
    try {
      await this.run(text, undefined, options);
    } catch (e) {
      this.inTx = false;
      if (!this.isClosed) await this.exec('ROLLBACK').catch(() => {});
      throw e;
    }
    this.inTx = false;
  }

  /**
   * See `Connection.flushCommits`. `txid_current()` gives the statement's transaction an id, so
   * its (synchronous) commit writes a commit record and waits for the WAL flush up to it, which
   * covers every commit this session deferred before.
   */
  async flushCommits(): Promise<void> {
    if (!this.deferredCommits) return;
    await this.run('SELECT txid_current()', undefined);
    this.deferredCommits = false;
  }

  /**
   * Send a CancelRequest for this session's running statement. Nothing is sent when no statement
   * runs. Never throws.
   */
  async cancel(): Promise<void> {
    if (this.isClosed || this.running === 0) return;
    const key = this.client as unknown as ClientKey;
    const pid = key.processID;
    const secret = key.secretKey;
    if (typeof pid !== 'number' || typeof secret !== 'number') return;
    const host = key.host ?? 'localhost';
    const port = key.port ?? 5432;
    await sendCancelRequest(host, port, pid, secret).catch(() => {});
  }

  /** A new, independent session with the same settings (the lease heartbeat, pooler probes). */
  async fork(): Promise<PostgresConnection> {
    return connectPostgres(this.options);
  }

  async close(): Promise<void> {
    if (this.isClosed) {
      await this.client.end().catch(() => {});
      return;
    }
    this.isClosed = true;
    await this.client.end().catch(() => {});
  }
}

/**
 * `$n` placeholders (outside quoted identifiers and strings) replaced by literals: NULL, numbers,
 * booleans, Dates as timestamptz, strings with pg's escapeLiteral. Other values are refused.
 */
export function inlineParams(q: SqlQuery, client: Pick<Client, 'escapeLiteral'>): string {
  const params = q.params ?? [];
  if (params.length === 0) return q.sql;
  const literal = (v: unknown): string => {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v === 'bigint') return v.toString();
    if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
    if (v instanceof Date && !Number.isNaN(v.getTime())) return `${client.escapeLiteral(v.toISOString())}::timestamptz`;
    if (typeof v === 'string') return client.escapeLiteral(v);
    throw new GodwitError('INTERNAL', `Cannot inline a parameter of type ${typeof v} into a batched statement.`);
  };
  let out = '';
  let i = 0;
  const sql = q.sql;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === '"' || c === "'") {
      const end = sql.indexOf(c, i + 1);
      const stop = end < 0 ? sql.length : end + 1;
      out += sql.slice(i, stop);
      i = stop;
      continue;
    }
    const m = c === '$' ? /^\$(\d+)/.exec(sql.slice(i, i + 12)) : null;
    if (m) {
      const n = Number(m[1]);
      if (n < 1 || n > params.length) throw new GodwitError('INTERNAL', `Placeholder $${n} has no parameter (${params.length} given).`);
      out += literal(params[n - 1]);
      i += m[0].length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** The protocol's CancelRequest: length 16, code 80877102, pid, secret key; then the server closes. */
function sendCancelRequest(host: string, port: number, pid: number, secret: number): Promise<void> {
  return new Promise((resolve) => {
    const socket = host.startsWith('/') ? netConnect(`${host}/.s.PGSQL.${port}`) : netConnect(port, host);
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, 5_000);
    socket.on('connect', () => {
      const b = Buffer.alloc(16);
      b.writeInt32BE(16, 0);
      b.writeInt32BE(80877102, 4);
      b.writeInt32BE(pid, 8);
      b.writeInt32BE(secret, 12);
      socket.end(b);
    });
    socket.on('close', done);
    socket.on('error', done);
  });
}

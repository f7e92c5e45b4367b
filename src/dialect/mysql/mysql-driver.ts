/**
 * `Connection` over mysql2 (`mysql2/promise`, loaded lazily with dynamic `import()`), for MySQL
 * and MariaDB.
 *
 * Session settings:
 * - `timezone: 'Z'` and `dateStrings: false`: DATETIME values are read and written as UTC `Date`s
 *   by the driver (the server's `time_zone` is not touched, so NOW() in migrations keeps its meaning).
 * - `supportBigNumbers`: BIGINT comes back as a number when it is exact, else as a string.
 * - multi-statement text is allowed, for `exec()` only (a code migration's `ctx.exec('A; B')`);
 *   `query()` with parameters is a server-side prepared statement, which runs exactly one statement
 *   and does not depend on the server's sql_mode (NO_BACKSLASH_ESCAPES) for escaping.
 * - the application name (`godwit <version> <host>`) is sent as the `program_name` connection
 *   attribute: MySQL shows it in performance_schema.session_connect_attrs (on by default);
 *   MariaDB too when performance_schema is enabled (off by default). SHOW PROCESSLIST has no
 *   application column on either: there the lock queries carry a `/* godwit ... *\/` comment.
 * - TCP keepalive on the client socket. (MariaDB's tcp_keepalive_* server settings are global only,
 *   so a session cannot shorten the server's detection of a dead client: that is the server's
 *   `wait_timeout` / kernel keepalive configuration.)
 *
 * URL query parameters: `sslmode` = disabled | required (encrypted, unverified) | verify_ca |
 * verify_identity (default: no TLS), `sslca` = path of a PEM CA bundle (implies verify_identity
 * unless sslmode says otherwise), `socket` = a Unix socket path instead of host:port. Any other
 * parameter is refused with a ConfigError, so a typo never goes unnoticed.
 *
 * Errors (mapped in mysql-errors.ts): unreachable server / lost connection -> `ConnectionError`
 * (exit 3); bad credentials, unknown database, missing privileges, TLS set-up -> `ConfigError`
 * (exit 2), password masked; a statement error -> `DatabaseError` (SQLSTATE, `facts.errno`,
 * `lineInStatement` from "... at line N"). Using a closed or broken session -> `ConnectionError`.
 */
import { readFileSync } from 'node:fs';
import type * as Mysql2 from 'mysql2/promise';
import { ConfigError, ConnectionError, GodwitError, messageOf } from '../../core/errors.js';
import { maskUrl, type DatabaseUrl } from '../database-url.js';
import { DatabaseError, type Connection, type QueryOptions, type Row } from '../driver.js';
import { connectError, isConnectionLoss, statementError } from './mysql-errors.js';

type RawConnection = Mysql2.Connection;
type RawOptions = Mysql2.ConnectionOptions;
/** The part of `mysql2/promise` Godwit uses. */
interface Mysql2Module {
  createConnection(options: RawOptions): Promise<RawConnection>;
}

let driver: Promise<Mysql2Module> | undefined;

/** `mysql2/promise`, imported on first use only. */
export function loadMysql2(): Promise<Mysql2Module> {
  driver ??= import('mysql2/promise').then(
    (m): Mysql2Module => (m as { default?: Mysql2Module }).default ?? m,
    (e: unknown) => {
      driver = undefined;
      throw new ConfigError(`The MySQL driver (mysql2) could not be loaded: ${messageOf(e)}. Reinstall godwit.`, {}, { cause: e });
    },
  );
  return driver;
}

const SSL_MODES = new Set(['disabled', 'required', 'verify_ca', 'verify_identity']);
const KNOWN_PARAMS = new Set(['sslmode', 'sslca', 'socket']);

/** mysql2 options for a URL (validated eagerly). */
export function connectionOptions(url: DatabaseUrl, applicationName: string, connectTimeoutMs: number): RawOptions {
  for (const k of Object.keys(url.params)) {
    if (!KNOWN_PARAMS.has(k)) {
      throw new ConfigError(`Unknown parameter "${k}" in the database URL ${url.masked}. MySQL/MariaDB URLs accept: sslmode (disabled|required|verify_ca|verify_identity), sslca (CA file), socket (Unix socket path).`);
    }
  }
  const options: RawOptions = {
    host: url.host ?? 'localhost',
    port: url.port ?? 3306,
    user: url.user ?? 'root',
    password: url.password,
    database: url.database,
    timezone: 'Z',
    dateStrings: false,
    supportBigNumbers: true,
    bigNumberStrings: false,
    multipleStatements: true,
    connectTimeout: Math.max(1000, Math.floor(connectTimeoutMs)),
    enableKeepAlive: true,
    keepAliveInitialDelay: 10_000,
    maxPreparedStatements: 64,
    connectAttributes: { program_name: applicationName.slice(0, 255) },
  };
  const socket = url.params.socket;
  if (socket) options.socketPath = socket;
  const caFile = url.params.sslca;
  const mode = (url.params.sslmode ?? (caFile ? 'verify_identity' : 'disabled')).toLowerCase();
  if (!SSL_MODES.has(mode)) {
    throw new ConfigError(`Bad sslmode "${url.params.sslmode}" in ${url.masked}: use disabled, required, verify_ca or verify_identity.`);
  }
  if (mode !== 'disabled') {
    let ca: string | undefined;
    if (caFile) {
      try {
        ca = readFileSync(caFile, 'utf8');
      } catch (e) {
        throw new ConfigError(`Cannot read the sslca file "${caFile}" named in ${url.masked}: ${messageOf(e)}`);
      }
    }
    options.ssl =
      mode === 'required'
        ? { rejectUnauthorized: false }
        : { rejectUnauthorized: true, ...(ca !== undefined ? { ca } : {}), ...(mode === 'verify_ca' ? { checkServerIdentity: () => undefined } : {}) };
  }
  return options;
}

export interface MysqlOpenOptions {
  readonly url: DatabaseUrl;
  readonly applicationName: string;
  readonly attemptTimeoutMs: number;
}

/** Open a session. Rejects with ConfigError or ConnectionError (see the file comment). */
export async function openMysql(o: MysqlOpenOptions): Promise<MysqlConnection> {
  const options = connectionOptions(o.url, o.applicationName, o.attemptTimeoutMs);
  const mysql = await loadMysql2();
  let raw: RawConnection;
  try {
    raw = await mysql.createConnection(options);
  } catch (e) {
    throw connectError(e, o.url);
  }
  // A fatal error arrives as an 'error' event too; without a listener it would crash the process.
  let broken = false;
  raw.on('error', () => {
    broken = true;
  });
  try {
    const [rows] = await raw.query('SELECT CONNECTION_ID() AS id, VERSION() AS version');
    const row = (rows as Row[])[0] ?? {};
    const conn = new MysqlConnection(raw, options, o, String(row.id), String(row.version ?? ''));
    if (broken) conn.markBroken();
    return conn;
  } catch (e) {
    raw.destroy();
    throw connectError(e, o.url);
  }
}

function isResultHeader(v: unknown): boolean {
  return !!v && typeof v === 'object' && !Array.isArray(v) && 'affectedRows' in v && 'fieldCount' in v;
}

/** Rows of a query result; for multi-statement text, the rows of the last statement that returned rows. */
function rowsOf(result: unknown): Row[] {
  if (!Array.isArray(result)) return [];
  const multi = result.length > 0 && (Array.isArray(result[0]) || isResultHeader(result[0]));
  if (!multi) return result as Row[];
  for (let k = result.length - 1; k >= 0; k--) if (Array.isArray(result[k])) return result[k] as Row[];
  return [];
}

function bindable(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return v.toString();
  return v;
}

export class MysqlConnection implements Connection {
  /** Whether the server is MariaDB (from the URL scheme or the server version string). */
  readonly isMariaDb: boolean;
  private closedByUs = false;
  private broken = false;
  private inTx = false;
  /** Sequence number of the statement running now, 0 when idle. */
  private running = 0;
  private seq = 0;
  private cancelling: Promise<void> | undefined;

  readonly url: DatabaseUrl;

  constructor(
    private readonly raw: RawConnection,
    private readonly options: RawOptions,
    private readonly openOptions: MysqlOpenOptions,
    /** CONNECTION_ID() of this session. */
    readonly sessionId: string,
    /** VERSION(), e.g. `10.11.6-MariaDB-0+deb12u1` or `8.0.36`. */
    readonly serverVersion: string,
  ) {
    this.url = openOptions.url;
    this.isMariaDb = this.url.variant === 'mariadb' || /mariadb/i.test(serverVersion);
    raw.on('error', () => this.markBroken());
    raw.on('end', () => this.markBroken());
  }

  get closed(): boolean {
    return this.closedByUs || this.broken;
  }

  /** @internal the session is known to be gone. */
  markBroken(): void {
    this.broken = true;
  }

  private gone(cause?: unknown): ConnectionError {
    return new ConnectionError(
      this.closedByUs
        ? `The connection to ${this.url.masked} is closed.`
        : `Lost the connection to ${this.url.masked}${cause !== undefined ? `: ${maskUrl(messageOf(cause))}` : ''}. The server may have restarted or killed the session; run again.`,
      {},
      cause !== undefined ? { cause } : undefined,
    );
  }

  private async run<T>(fn: () => Promise<T>, options?: QueryOptions): Promise<T> {
    if (this.closed) throw this.gone();
    const signal = options?.signal;
    if (signal?.aborted) {
      throw new DatabaseError('Statement cancelled before it started (the run is stopping).', { sqlState: '70100' }, { errno: 1317 });
    }
    const id = ++this.seq;
    this.running = id;
    const onAbort = () => void this.cancel();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await fn();
    } catch (e) {
      if (e instanceof GodwitError) throw e;
      if (isConnectionLoss(e)) {
        this.markBroken();
        throw this.gone(e);
      }
      throw statementError(e);
    } finally {
      if (this.running === id) this.running = 0;
      signal?.removeEventListener('abort', onAbort);
    }
  }

  async exec(sql: string, options?: QueryOptions): Promise<void> {
    await this.run(() => this.raw.query(sql), options);
  }

  async query<T extends Row = Row>(sql: string, params: readonly unknown[] = [], options?: QueryOptions): Promise<T[]> {
    return this.run(async () => {
      const [result] = params.length === 0 ? await this.raw.query(sql) : await this.raw.execute(sql, params.map(bindable) as never);
      return rowsOf(result) as T[];
    }, options);
  }

  /** A new, independent session with the same URL and application name (lease heartbeat). */
  fork(): Promise<MysqlConnection> {
    return openMysql(this.openOptions);
  }

  async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    if (this.inTx) throw new GodwitError('INTERNAL', 'inTransaction() is not nestable (a transaction is already open on this MySQL session).');
    await this.exec('START TRANSACTION');
    this.inTx = true;
    try {
      const value = await fn();
      await this.exec('COMMIT');
      return value;
    } catch (e) {
      if (!this.closed) {
        try {
          await this.raw.query('ROLLBACK');
        } catch {
          // The session is unusable; the original error is what matters.
        }
      }
      throw e;
    } finally {
      this.inTx = false;
    }
  }

  /**
   * `KILL QUERY <id>` from a second, short-lived session with the same credentials. Only when a
   * statement is running, and only if it is still the same statement once the second session is
   * up (a KILL QUERY that reaches an idle session is harmless: the server clears it at the next
   * command). Never throws.
   */
  async cancel(): Promise<void> {
    if (this.closed || this.running === 0) return;
    if (this.cancelling) return this.cancelling;
    const target = this.running;
    this.cancelling = (async () => {
      let killer: RawConnection | undefined;
      try {
        const mysql = await loadMysql2();
        killer = await mysql.createConnection({ ...this.options, connectTimeout: 5000, connectAttributes: { program_name: 'godwit cancel' } });
        killer.on('error', () => undefined);
        if (this.running === target && !this.closed) await killer.query(`KILL QUERY ${Number(this.sessionId)}`);
      } catch {
        // Best effort: the statement may have finished, or the server is unreachable.
      } finally {
        killer?.destroy();
        this.cancelling = undefined;
      }
    })();
    return this.cancelling;
  }

  async close(): Promise<void> {
    if (this.closedByUs) return;
    this.closedByUs = true;
    if (!this.broken) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([this.raw.end(), new Promise<void>((r) => (timer = setTimeout(r, 2000)))]);
      } catch {
        // close never throws
      } finally {
        if (timer) clearTimeout(timer);
      }
    }
    try {
      this.raw.destroy();
    } catch {
      // close never throws
    }
  }
}

/**
 * MySQL/MariaDB driver errors -> Godwit errors (used by mysql-driver.ts; pure).
 *
 * - unreachable server / lost session (network codes, mysql2 `fatal` errors, server shutdown,
 *   killed connection, too many connections) -> `ConnectionError` (exit 3, retryable);
 * - at connect, what retrying cannot fix (bad credentials, unknown database, no privilege, locked
 *   or expired account, host blocked, TLS set-up) -> `ConfigError` (exit 2) with a hint;
 * - a statement error -> `DatabaseError` with the SQLSTATE, the MySQL error number in
 *   `facts.errno`, and `lineInStatement` from "... at line N".
 * Messages go through `maskUrl` and name the masked URL only.
 */
import { ConfigError, ConnectionError, GodwitError, messageOf } from '../../core/errors.js';
import { maskUrl, type DatabaseUrl } from '../database-url.js';
import { DatabaseError } from '../driver.js';

interface DriverErrorShape {
  code?: unknown;
  errno?: unknown;
  sqlState?: unknown;
  sqlMessage?: unknown;
  fatal?: unknown;
}

function shape(e: unknown): DriverErrorShape {
  return e && typeof e === 'object' ? (e as DriverErrorShape) : {};
}

/** The MySQL error number of a driver error or a wrapped `DatabaseError`, e.g. 1205. */
export function mysqlErrno(e: unknown): number | undefined {
  if (e instanceof GodwitError) {
    const n = e.facts.errno;
    if (typeof n === 'number') return n;
    return e.cause !== undefined && e.cause !== e ? mysqlErrno(e.cause) : undefined;
  }
  const n = shape(e).errno;
  return typeof n === 'number' ? n : undefined;
}

/** Network-level failures: the server cannot be reached or the session is gone. Retryable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENOENT', // Unix socket not there (yet)
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
]);

/** Server errors that end the session or mean "try again later". */
const CONNECTION_ERRNOS = new Set([
  1040, // ER_CON_COUNT_ERROR: too many connections
  1053, // ER_SERVER_SHUTDOWN
  1927, // ER_CONNECTION_KILLED (MariaDB)
  2006, // CR_SERVER_GONE_ERROR
  2013, // CR_SERVER_LOST
  4031, // ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
]);

/** Errors at connect time that retrying cannot fix: credentials, database, privileges. */
const CONFIG_ERRNOS = new Map<number, string>([
  [1044, 'the user has no access to this database; GRANT it or use another database'],
  [1045, 'check the user name and password in the URL (a password with special characters must be URL-encoded)'],
  [1049, 'create the database first, or fix its name in the URL'],
  [1129, 'the server blocked this host after too many failed connections; run "FLUSH HOSTS" (or mariadb-admin flush-hosts) on the server'],
  [1130, 'this client host may not connect to the server; check the account\'s host part'],
  [1251, 'the server wants an authentication method this driver does not support'],
  [1524, 'the account uses an authentication plugin the server has not loaded'],
  [1698, 'check the user name and password in the URL (the account may require socket authentication)'],
  [1820, 'the account\'s password has expired; set a new one'],
  [1862, 'the account\'s password has expired; set a new one'],
  [3118, 'the account is locked'],
  [4151, 'the account is locked'],
]);

const TLS_CODES = /^(HANDSHAKE_|ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_OSSL)/;

/** The line within the statement from a MySQL message "... at line N". */
export function lineFromMessage(message: string): number | undefined {
  const m = /\bat line (\d+)\s*$/.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** Whether a driver error means the session is gone or the server unreachable. */
export function isConnectionLoss(e: unknown): boolean {
  const s = shape(e);
  if (typeof s.code === 'string' && NETWORK_CODES.has(s.code)) return true;
  if (typeof s.errno === 'number' && CONNECTION_ERRNOS.has(s.errno)) return true;
  return s.fatal === true;
}

/** Map an error while opening a session to ConfigError (retry cannot help) or ConnectionError. */
export function connectError(e: unknown, url: DatabaseUrl): GodwitError {
  if (e instanceof GodwitError) return e;
  const s = shape(e);
  const message = maskUrl(messageOf(e));
  const errno = typeof s.errno === 'number' ? s.errno : undefined;
  const hint = errno !== undefined ? CONFIG_ERRNOS.get(errno) : undefined;
  if (hint !== undefined) {
    return new ConfigError(`Cannot connect to ${url.masked}: ${message} (${hint}).`, { errno, databaseMessage: message }, { cause: e });
  }
  if (typeof s.code === 'string' && TLS_CODES.test(s.code)) {
    return new ConfigError(`Cannot set up TLS to ${url.masked}: ${message} (check sslmode / sslca in the URL).`, { databaseMessage: message }, { cause: e });
  }
  return new ConnectionError(`Cannot connect to ${url.masked}: ${message || String(s.code ?? 'unknown error')}.`, { databaseMessage: message }, { cause: e });
}

export function statementError(e: unknown): DatabaseError {
  const s = shape(e);
  const message = maskUrl(typeof s.sqlMessage === 'string' ? s.sqlMessage : messageOf(e));
  const errno = typeof s.errno === 'number' ? s.errno : undefined;
  return new DatabaseError(
    message,
    { sqlState: typeof s.sqlState === 'string' ? s.sqlState : undefined, lineInStatement: lineFromMessage(message) },
    { databaseMessage: message, ...(errno !== undefined ? { errno } : {}) },
    { cause: e },
  );
}

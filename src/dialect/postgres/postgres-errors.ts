/**
 * Turn what `pg` throws into Godwit's typed errors (habit 6):
 * - the server cannot be reached or the session died (network errors, "Connection terminated",
 *   SQLSTATE class 08, 57P01-57P03 admin/crash shutdown, 53300 too many connections, any FATAL)
 *   -> `ConnectionError` (exit 3, retrying can help);
 * - what retrying cannot fix: bad password / no pg_hba entry / unknown role (28P01, 28000),
 *   unknown database (3D000), no CONNECT privilege (42501 at connect), TLS set-up problems
 *   -> `ConfigError` (exit 2), the URL masked;
 * - anything else the server reported for a statement -> `DatabaseError` with its SQLSTATE and
 *   `position` (1-based, converted from PostgreSQL's code points to JS string units of `sql`).
 */
import { ConfigError, ConnectionError, GodwitError, messageOf } from '../../core/errors.js';
import { maskUrl } from '../database-url.js';
import { DatabaseError } from '../driver.js';

/** The fields of pg's DatabaseError (pg-protocol) that we read. */
interface PgServerError {
  message: string;
  code: string;
  severity?: string;
  detail?: string;
  hint?: string;
  position?: string;
  where?: string;
}

export function isPgServerError(e: unknown): e is PgServerError {
  if (!(e instanceof Error)) return false;
  const r = e as unknown as Record<string, unknown>;
  return typeof r.code === 'string' && /^[0-9A-Z]{5}$/.test(r.code) && 'severity' in r;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ENOENT', // unix socket file missing: the server is not up yet
]);

const TLS_CONFIG_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_NOT_YET_VALID|ERR_TLS_CERT_ALTNAME_INVALID|ERR_SSL_.*)$/;

function nodeCode(e: unknown): string | undefined {
  const r = e as { code?: unknown; errors?: unknown[] } | undefined;
  if (typeof r?.code === 'string') return r.code;
  const first = Array.isArray(r?.errors) ? (r.errors[0] as { code?: unknown } | undefined) : undefined;
  return typeof first?.code === 'string' ? first.code : undefined;
}

/** Whether an error (pg's, or already ours) means the session is gone. */
export function isConnectionLoss(e: unknown): boolean {
  if (e instanceof ConnectionError) return true;
  if (isPgServerError(e)) {
    return (
      e.code.startsWith('08') ||
      e.code === '57P01' ||
      e.code === '57P02' ||
      e.code === '57P03' ||
      e.code === '53300' ||
      e.severity === 'FATAL' ||
      e.severity === 'PANIC'
    );
  }
  const code = nodeCode(e);
  if (code && NETWORK_CODES.has(code)) return true;
  return /Connection terminated|connection timeout|timeout expired|not queryable|Connection ended|Query read timeout|socket hang up/i.test(messageOf(e));
}

export interface ErrorContext {
  /** The masked URL, for messages. */
  readonly masked: string;
  readonly database: string | undefined;
  /** `connect` while opening the session, `query` afterwards. */
  readonly phase: 'connect' | 'query';
  /** The statement that failed, for `position`. */
  readonly sql?: string;
}

export function mapPostgresError(e: unknown, ctx: ErrorContext): GodwitError {
  if (e instanceof GodwitError) return e;
  const msg = maskUrl(messageOf(e));
  if (isPgServerError(e)) {
    if (e.code === '28P01' || e.code === '28000') {
      return new ConfigError(
        `PostgreSQL refused the login for ${ctx.masked}: ${msg}. Check the user name and password in the database URL (retrying will not help).`,
        { databaseMessage: msg, sqlState: e.code },
        { cause: e },
      );
    }
    if (e.code === '3D000') {
      return new ConfigError(
        `The database ${ctx.database ? `"${ctx.database}" ` : ''}does not exist on the server of ${ctx.masked}: ${msg}. Create it first (CREATE DATABASE), or fix the database name in the URL.`,
        { databaseMessage: msg, sqlState: e.code },
        { cause: e },
      );
    }
    if (ctx.phase === 'connect' && e.code === '42501') {
      return new ConfigError(`PostgreSQL refused the connection to ${ctx.masked}: ${msg}. Grant the user CONNECT on the database.`, { databaseMessage: msg, sqlState: e.code }, { cause: e });
    }
    if (isConnectionLoss(e)) return connectionError(e, msg, ctx);
    return statementError(e, msg, ctx.sql);
  }
  const code = nodeCode(e);
  if (code && TLS_CONFIG_CODES.test(code)) {
    return new ConfigError(`TLS problem connecting to ${ctx.masked}: ${msg}. Check sslmode and the server certificate (retrying will not help).`, {}, { cause: e });
  }
  if (/does not support SSL|SASL|client password must be a string|password authentication/i.test(msg)) {
    return new ConfigError(`Cannot log in to ${ctx.masked}: ${msg}. Check the URL's password and sslmode (retrying will not help).`, {}, { cause: e });
  }
  if (ctx.phase === 'connect' || isConnectionLoss(e)) return connectionError(e, msg, ctx);
  return new GodwitError('INTERNAL', `PostgreSQL driver error: ${msg}`, {}, { cause: e });
}

function connectionError(e: unknown, msg: string, ctx: ErrorContext): ConnectionError {
  const code = nodeCode(e);
  const detail = code && !msg.includes(code) ? `${msg} (${code})` : msg;
  return ctx.phase === 'connect'
    ? new ConnectionError(`Cannot reach PostgreSQL at ${ctx.masked}: ${detail}`, { databaseMessage: msg }, { cause: e })
    : new ConnectionError(`Lost the connection to PostgreSQL (${ctx.masked}): ${detail}`, { databaseMessage: msg }, { cause: e });
}

function statementError(e: PgServerError, msg: string, sql: string | undefined): DatabaseError {
  let text = msg;
  if (e.detail) text += `\nDETAIL: ${e.detail}`;
  if (e.hint) text += `\nHINT: ${e.hint}`;
  if (e.where) text += `\nCONTEXT: ${e.where}`;
  const raw = e.position ? Number(e.position) : NaN;
  const position = Number.isInteger(raw) && raw > 0 ? (sql !== undefined ? jsPosition(sql, raw) : raw) : undefined;
  return new DatabaseError(
    text,
    { sqlState: e.code, position },
    { databaseMessage: msg, sqlState: e.code, ...(e.detail ? { detail: e.detail } : {}), ...(e.hint ? { hint: e.hint } : {}) },
    { cause: e },
  );
}

/** PostgreSQL counts positions in code points (1-based); JS strings count UTF-16 units. */
function jsPosition(sql: string, cpPosition: number): number {
  let i = 0;
  for (let n = 1; n < cpPosition && i < sql.length; n++) {
    const c = sql.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < sql.length ? 2 : 1;
  }
  return i + 1;
}

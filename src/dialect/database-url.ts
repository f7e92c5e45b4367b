/**
 * Database URLs: `postgres://`, `postgresql://`, `mysql://`, `mariadb://`, `sqlite:relative.db`,
 * `sqlite:///abs/path.db`, `sqlite::memory:`, and the embedded PostgreSQL (PGlite): `pglite:memory`,
 * `pglite:memory:NAME`, `pglite:relative/dir`, `pglite:///abs/dir` (`?template-dir=DIR`: see
 * postgres/pglite-driver.ts). Parsing is pure; a bad URL throws `ConfigError`
 * (exit 2) with the password masked.
 */
import { isAbsolute, resolve } from 'node:path';
import { ConfigError } from '../core/errors.js';
import type { DialectName } from './dialect.js';

export interface DatabaseUrl {
  readonly dialect: DialectName;
  /** The URL as given (contains the password: never print it; use `masked`). */
  readonly raw: string;
  /** The URL with the password replaced by `***`. */
  readonly masked: string;
  /** Network dialects: host, port, user, password, database, query params. */
  readonly host?: string;
  readonly port?: number;
  readonly user?: string;
  readonly password?: string;
  readonly database?: string;
  readonly params: Readonly<Record<string, string>>;
  /** SQLite: absolute file path, or ':memory:'. PGlite: absolute data directory, or ':memory:[NAME]'. */
  readonly file?: string;
  /** 'mariadb' when the scheme says so (MySQL dialect variant); 'pglite' for the embedded PostgreSQL. */
  readonly variant?: 'mariadb' | 'pglite';
}

/** Replace the password in anything URL-like within `text` by `***`. */
export function maskUrl(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)(@)/gi, '$1***$3');
}

export function parseDatabaseUrl(raw: string, cwd: string = process.cwd()): DatabaseUrl {
  const masked = maskUrl(raw);
  if (raw.startsWith('sqlite:')) {
    let rest = raw.slice('sqlite:'.length);
    const q = rest.indexOf('?');
    const params: Record<string, string> = {};
    if (q >= 0) {
      for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) params[k] = v;
      rest = rest.slice(0, q);
    }
    let file: string;
    if (rest === ':memory:') file = ':memory:';
    else if (rest.startsWith('///')) file = rest.slice(2);
    else if (rest.startsWith('//')) {
      throw new ConfigError(`Bad SQLite URL "${masked}": use sqlite:relative/path.db or sqlite:///absolute/path.db`);
    } else if (rest.length === 0) {
      throw new ConfigError(`Bad SQLite URL "${masked}": no file path. Example: sqlite:./app.db`);
    } else file = isAbsolute(rest) ? rest : resolve(cwd, rest);
    return Object.freeze({ dialect: 'sqlite', raw, masked, file, params: Object.freeze(params) });
  }
  if (raw.startsWith('pglite:')) return parsePgliteUrl(raw, masked, cwd);
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(
      `Bad database URL "${masked}". Expected postgres://user:pass@host:5432/db, mysql://user:pass@host:3306/db, mariadb://..., or sqlite:path.db`,
    );
  }
  const scheme = u.protocol.replace(/:$/, '');
  let dialect: DialectName;
  let variant: 'mariadb' | undefined;
  if (scheme === 'postgres' || scheme === 'postgresql') dialect = 'postgres';
  else if (scheme === 'mysql') dialect = 'mysql';
  else if (scheme === 'mariadb') {
    dialect = 'mysql';
    variant = 'mariadb';
  } else {
    throw new ConfigError(
      `Unsupported database URL scheme "${scheme}:" in "${masked}". Use postgres://, postgresql://, mysql://, mariadb://, sqlite: or pglite:`,
    );
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!database) throw new ConfigError(`The database URL "${masked}" names no database. Add it as the path: ${scheme}://host/mydb`);
  const params: Record<string, string> = {};
  for (const [k, v] of u.searchParams) params[k] = v;
  const port = u.port ? Number(u.port) : dialect === 'postgres' ? 5432 : 3306;
  return Object.freeze({
    dialect,
    raw,
    masked,
    host: u.hostname || (dialect === 'postgres' ? 'localhost' : 'localhost'),
    port,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    database,
    params: Object.freeze(params),
    variant,
  });
}

/** `pglite:memory[:NAME]`, `pglite:relative/dir`, `pglite:///abs/dir` (dialect postgres, variant pglite). */
function parsePgliteUrl(raw: string, masked: string, cwd: string): DatabaseUrl {
  let rest = raw.slice('pglite:'.length);
  const params: Record<string, string> = {};
  const q = rest.indexOf('?');
  if (q >= 0) {
    for (const [k, v] of new URLSearchParams(rest.slice(q + 1))) params[k] = v;
    rest = rest.slice(0, q);
  }
  let file: string;
  if (rest === 'memory' || rest === ':memory:') file = ':memory:';
  else if (/^memory:[A-Za-z0-9_.-]+$/.test(rest)) file = `:memory:${rest.slice('memory:'.length)}`;
  else if (rest.startsWith('///')) file = rest.slice(2);
  else if (rest.startsWith('//') || rest.length === 0) {
    throw new ConfigError(`Bad PGlite URL "${masked}": use pglite:memory, pglite:relative/dir or pglite:///absolute/dir`);
  } else file = isAbsolute(rest) ? rest : resolve(cwd, rest);
  return Object.freeze({ dialect: 'postgres', raw, masked, file, database: 'postgres', params: Object.freeze(params), variant: 'pglite' });
}

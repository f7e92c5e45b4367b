/**
 * PostgreSQL's differences for the shared `SqlHistoryStore` and the generic lease locker.
 * Timestamps are `timestamptz`; `pg` sends a JS Date with its offset, so no conversion is needed.
 */
import { DatabaseError } from '../driver.js';
import type { SqlFlavor } from '../sql-history-store.js';
import type { LeaseSqlSpec } from '../lease-locker.js';

/** `"ident"` with embedded quotes doubled. */
export function quotePg(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

/** The SQLSTATE of an error we mapped (or of a raw pg error). */
export function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof DatabaseError) return error.sqlState;
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

export const postgresFlavor: SqlFlavor = Object.freeze({
  placeholder: (n: number) => `$${n}`,
  quote: quotePg,
  types: Object.freeze({
    bigint: 'BIGINT',
    int: 'INTEGER',
    text: 'TEXT',
    shortText: 'TEXT',
    timestamp: 'TIMESTAMPTZ',
    autoId: 'BIGSERIAL PRIMARY KEY',
  }),
  toTimestamp: (d: Date) => d,
  // statement_timestamp() is when the server received the round trip (one simple query).
  elapsedMs: '(extract(epoch from (clock_timestamp() - statement_timestamp())) * 1000)::int',
  timestampAsMs: (column: string) => `(extract(epoch from ${column}) * 1000)::float8`,
  /** 42P01 undefined_table; 3F000 invalid_schema_name (the schema is not there yet either). */
  isUndefinedTable: (error: unknown) => {
    const s = sqlStateOf(error);
    return s === '42P01' || s === '3F000';
  },
});

/** The lease locker's PostgreSQL clock and conflict detection. */
export const postgresLeaseSpec: LeaseSqlSpec = Object.freeze({
  flavor: postgresFlavor,
  // clock_timestamp(), not now(): now() is frozen at the start of the enclosing transaction.
  nowMs: '(floor(extract(epoch from clock_timestamp()) * 1000))::bigint',
  lockingRead: ' FOR UPDATE',
  isUniqueViolation: (error: unknown) => sqlStateOf(error) === '23505',
  // Two sessions running CREATE TABLE IF NOT EXISTS at the same instant: the loser gets 42P07
  // (duplicate_table), 23505 (pg_type's unique index) or 42710 ("type ... already exists").
  isDuplicateTable: (error: unknown) => {
    const s = sqlStateOf(error);
    return s === '42P07' || s === '23505' || s === '42710';
  },
});

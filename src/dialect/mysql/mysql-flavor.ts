/**
 * MySQL/MariaDB differences for the shared `SqlHistoryStore` (and the generic lease locker).
 *
 * Timestamps are `DATETIME(3)` holding UTC, bound as `YYYY-MM-DD HH:MM:SS.mmm` text so the value
 * never depends on the server's or the driver's time zone; the driver (timezone 'Z') reads them
 * back as UTC `Date`s. Tables are InnoDB (transactional: a history row commits with its migration's
 * statements) in utf8mb4 (any file name and error message fits), whatever the server defaults are.
 */
import type { SqlFlavor } from '../sql-history-store.js';
import { mysqlErrno } from './mysql-errors.js';

/** `2025-01-02T03:04:05.678Z` -> `2025-01-02 03:04:05.678` (UTC). */
export function mysqlTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/Z$/, '');
}

/** Quote an identifier with backticks (doubling any inside). */
export function quoteMysql(ident: string): string {
  return `\`${ident.replace(/`/g, '``')}\``;
}

export const mysqlFlavor: SqlFlavor = Object.freeze({
  placeholder: () => '?',
  quote: quoteMysql,
  types: Object.freeze({
    bigint: 'BIGINT',
    int: 'INT',
    text: 'TEXT',
    shortText: 'VARCHAR(255)',
    timestamp: 'DATETIME(3)',
    autoId: 'BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY',
  }),
  tableOptions: 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4',
  toTimestamp: mysqlTimestamp,
  /** ER_NO_SUCH_TABLE (1146); ER_BAD_DB_ERROR (1049) when a `db.table` target's database is gone. */
  isUndefinedTable: (error: unknown) => {
    const n = mysqlErrno(error);
    return n === 1146 || n === 1049;
  },
});

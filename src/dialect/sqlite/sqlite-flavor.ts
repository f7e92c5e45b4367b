/**
 * SQLite's differences for the shared `SqlHistoryStore` (and the generic lease locker).
 * Timestamps are stored as UTC text `YYYY-MM-DD HH:MM:SS.SSS`, SQLite's own date format, so they
 * sort correctly, keep milliseconds and work with `datetime()`/`julianday()` in ad-hoc queries.
 */
import type { SqlFlavor } from '../sql-history-store.js';
import { sqliteCode } from './sqlite-driver.js';
import { messageOf } from '../../core/errors.js';

/** `2025-01-02T03:04:05.678Z` -> `2025-01-02 03:04:05.678` (UTC). */
export function sqliteTimestamp(d: Date): string {
  return d.toISOString().replace('T', ' ').replace(/Z$/, '');
}

export const sqliteFlavor: SqlFlavor = Object.freeze({
  placeholder: () => '?',
  quote: (ident: string) => `"${ident.replace(/"/g, '""')}"`,
  types: Object.freeze({
    bigint: 'INTEGER',
    int: 'INTEGER',
    text: 'TEXT',
    shortText: 'TEXT',
    timestamp: 'TEXT',
    autoId: 'INTEGER PRIMARY KEY AUTOINCREMENT',
  }),
  toTimestamp: sqliteTimestamp,
  isUndefinedTable: (error: unknown) => sqliteCode(error) === 'SQLITE_ERROR' && /no such table/i.test(messageOf(error)),
});

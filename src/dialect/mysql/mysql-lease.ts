/**
 * MySQL/MariaDB SQL for the shared lease lock (`../lease-locker.ts`): the lock row lives in
 * `<database>.<table>_lock` next to the history table (InnoDB, via `mysqlFlavor`).
 *
 * The database clock is UTC_TIMESTAMP(6) turned into epoch milliseconds by plain arithmetic
 * (TIMESTAMPDIFF from 1970-01-01), so neither the session's time zone nor a daylight-saving switch
 * can shift it (UNIX_TIMESTAMP(NOW(3)) would go through the session time zone). MySQL fixes it per
 * statement, not per transaction. Reads that must lock use `FOR UPDATE`.
 */
import type { LeaseSqlSpec } from '../lease-locker.js';
import { mysqlErrno } from './mysql-errors.js';
import { mysqlFlavor } from './mysql-flavor.js';

export const mysqlLeaseSpec: LeaseSqlSpec = Object.freeze({
  flavor: mysqlFlavor,
  nowMs: "(TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', UTC_TIMESTAMP(6)) DIV 1000)",
  lockingRead: ' FOR UPDATE',
  /** ER_DUP_ENTRY. */
  isUniqueViolation: (error: unknown) => mysqlErrno(error) === 1062,
  /** ER_TABLE_EXISTS_ERROR (IF NOT EXISTS makes it a warning; kept for safety). */
  isDuplicateTable: (error: unknown) => mysqlErrno(error) === 1050,
});

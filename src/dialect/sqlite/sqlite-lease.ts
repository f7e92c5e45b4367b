/**
 * SQLite's SQL for the shared lease lock (`../lease-locker.ts`): the lock row lives in
 * `<table>_lock` in the database file itself. SQLite serialises writers, so a plain read is the
 * locking read; the database clock is `julianday('now')`, which SQLite keeps fixed within one
 * statement.
 */
import type { LeaseSqlSpec } from '../lease-locker.js';
import { isBusy, sqliteCode } from './sqlite-driver.js';
import { sqliteFlavor } from './sqlite-flavor.js';

export const sqliteLeaseSpec: LeaseSqlSpec = Object.freeze({
  flavor: sqliteFlavor,
  nowMs: "CAST(ROUND((julianday('now') - 2440587.5) * 86400000.0) AS INTEGER)",
  lockingRead: '',
  isUniqueViolation: (error: unknown) => {
    const code = sqliteCode(error);
    return code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === 'SQLITE_CONSTRAINT_UNIQUE';
  },
  /** `CREATE TABLE IF NOT EXISTS` cannot lose a race in SQLite: writers are serialised. */
  isDuplicateTable: () => false,
  /** A frozen holder inside its transaction keeps the file locked: keep polling. */
  isBusy,
});

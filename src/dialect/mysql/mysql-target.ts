/**
 * Resolve the configured history table on MySQL/MariaDB. There are no schemas: the target's
 * database is DATABASE() (the URL's database), and `schema` is always undefined.
 *
 * A qualified name `otherdb.table` names the history table in ANOTHER database on the same
 * server: the target's database is then `otherdb` (it must exist; a missing one is a ConfigError),
 * so the lock key, the history and the lease row all follow it, while the migrations themselves
 * still run in the URL's database. Names may be `backquoted`. With lower_case_table_names > 0
 * (case-insensitive names) database and table are lower-cased, so `App.T` and `app.t` are one
 * target with one lock.
 */
import { ConfigError } from '../../core/errors.js';
import { splitQualifiedName } from '../../sql/qualified-name.js';
import type { Connection } from '../driver.js';
import type { Target } from '../target.js';

/** Split `table` or `db.table` (each part bare or `backquoted`) into its parts. Throws ConfigError. */
export function parseMysqlTableName(text: string): string[] {
  const parts = splitQualifiedName(text, {
    quote: '`',
    bare: /^[A-Za-z0-9_$\u0080-\uffff]+/,
    hint: 'Use table or database.table (quote with `backticks` for special characters).',
  });
  const bad = (why: string) => new ConfigError(`Bad history table name "${text}": ${why}.`);
  if (parts.length > 2) throw bad('too many dots (MySQL has no schemas: database.table at most)');
  for (const p of parts) if (p.length > 64) throw bad(`"${p}" is longer than MySQL's 64-character limit`);
  return parts;
}

export async function resolveMysqlTarget(conn: Connection, table: string): Promise<Target> {
  const parts = parseMysqlTableName(table);
  const r = (await conn.query('SELECT DATABASE() AS db, @@lower_case_table_names AS lctn'))[0];
  const folds = Number(r?.lctn ?? 0) > 0;
  let database: string;
  if (parts.length === 2) {
    const rows = await conn.query('SELECT SCHEMA_NAME AS name FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [parts[0]]);
    if (rows.length === 0) {
      throw new ConfigError(
        `The database "${parts[0]}" of the history table "${table}" does not exist on this server (or this user cannot see it). Create it, or name the history table without a database to keep it in the URL's database.`,
      );
    }
    database = String(rows[0]!.name);
  } else {
    if (r?.db === null || r?.db === undefined) {
      throw new ConfigError('No database is selected on this MySQL session: name one in the URL (mysql://user@host:3306/mydb).');
    }
    database = String(r.db);
  }
  const name = parts[parts.length - 1]!;
  return Object.freeze({
    database: folds ? database.toLowerCase() : database,
    schema: undefined,
    table: folds ? name.toLowerCase() : name,
  });
}

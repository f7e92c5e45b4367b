// kysely's Migrator with FileMigrationProvider, as its docs show.
// Usage: node kysely.mjs pg|mysql|sqlite DIR up|status (URL or SQLite file in BENCH_URL).
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect } from 'kysely';
import { FileMigrationProvider, Migrator } from 'kysely/migration';

const [engine, dir, action] = process.argv.slice(2);
const url = process.env.BENCH_URL;
let dialect;
if (engine === 'pg') {
  const { default: pg } = await import('pg');
  dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) });
} else if (engine === 'mysql') {
  const { createPool } = await import('mysql2');
  dialect = new MysqlDialect({ pool: createPool(url) });
} else {
  const Database = createRequire(import.meta.url)('better-sqlite3');
  dialect = new SqliteDialect({ database: new Database(url) });
}
const db = new Kysely({ dialect });
const migrator = new Migrator({ db, provider: new FileMigrationProvider({ fs, path, migrationFolder: dir }) });
let failed = false;
try {
  if (action === 'up') {
    const { error, results } = await migrator.migrateToLatest();
    for (const r of results ?? []) if (r.status === 'Error') console.error(`failed to execute migration "${r.migrationName}"`);
    if (error) {
      console.error('failed to migrate:', error?.message ?? error);
      failed = true;
    }
  } else {
    const all = await migrator.getMigrations();
    console.log(`${all.filter((m) => m.executedAt).length} executed, ${all.filter((m) => !m.executedAt).length} pending`);
  }
} finally {
  await db.destroy();
}
if (failed) process.exit(1);

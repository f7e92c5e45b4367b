// umzug + pg (or mysql2), as its README shows: SQL files run by a resolve function, a small
// storage table for what ran. Usage: node umzug.mjs pg|mysql DIR up|status (URL in BENCH_URL).
import { readFile } from 'node:fs/promises';
import { Umzug } from 'umzug';

const [engine, dir, action] = process.argv.slice(2);
const url = process.env.BENCH_URL;
let exec, close;
if (engine === 'pg') {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  exec = async (sql, params) => (await client.query(sql, params)).rows;
  close = () => client.end();
} else {
  const { default: mysql } = await import('mysql2/promise');
  const conn = await mysql.createConnection(url);
  exec = async (sql, params) => (await conn.query(sql, params))[0];
  close = () => conn.end();
}
const ph = (n) => (engine === 'pg' ? `$${n}` : '?');
const umzug = new Umzug({
  migrations: {
    glob: `${dir}/*.sql`,
    resolve: ({ name, path }) => ({ name, up: async () => exec(await readFile(path, 'utf8')) }),
  },
  storage: {
    async executed() {
      await exec('CREATE TABLE IF NOT EXISTS umzug_migrations (name VARCHAR(255) PRIMARY KEY)');
      return (await exec('SELECT name FROM umzug_migrations')).map((r) => r.name);
    },
    async logMigration({ name }) {
      await exec(`INSERT INTO umzug_migrations (name) VALUES (${ph(1)})`, [name]);
    },
    async unlogMigration({ name }) {
      await exec(`DELETE FROM umzug_migrations WHERE name = ${ph(1)}`, [name]);
    },
  },
  logger: console,
});
try {
  if (action === 'up') await umzug.up();
  else console.log(`${(await umzug.executed()).length} executed, ${(await umzug.pending()).length} pending`);
} finally {
  await close();
}

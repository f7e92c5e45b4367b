// postgrator with pg (or mysql2), as its README shows.
// Usage: node postgrator.mjs pg|mysql DIR up|status (URL in BENCH_URL).
import Postgrator from 'postgrator';

const [engine, dir, action] = process.argv.slice(2);
const url = process.env.BENCH_URL;
let execQuery, close, database;
if (engine === 'pg') {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  execQuery = (q) => client.query(q);
  close = () => client.end();
  database = client.database;
} else {
  const { default: mysql } = await import('mysql2/promise');
  const conn = await mysql.createConnection(url);
  execQuery = async (q) => ({ rows: (await conn.query(q))[0] });
  close = () => conn.end();
  database = new URL(url).pathname.slice(1);
}
const postgrator = new Postgrator({ migrationPattern: `${dir}/*`, driver: engine === 'pg' ? 'pg' : 'mysql', database, schemaTable: 'schemaversion', execQuery });
try {
  if (action === 'up') await postgrator.migrate();
  else {
    const [current, max] = await Promise.all([postgrator.getDatabaseVersion(), postgrator.getMaxVersion()]);
    console.log(`version ${current} of ${max}`);
  }
} finally {
  await close();
}

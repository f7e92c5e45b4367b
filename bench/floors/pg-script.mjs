// The floor for a Node.js migrator on PostgreSQL: what any tool must at least do. Connect, read
// the history, run each pending file with its history row in one transaction (one round trip:
// BEGIN; file; INSERT; COMMIT sent as one simple query), no lock, no checksums.
// Usage: node pg-script.mjs URL DIR
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const [url, dir] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
await client.connect();
let applied;
try {
  applied = new Set((await client.query('SELECT name FROM floor_migrations')).rows.map((r) => r.name));
} catch {
  await client.query('CREATE TABLE IF NOT EXISTS floor_migrations (name text PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
  applied = new Set();
}
const files = readdirSync(dir).filter((f) => f.endsWith('.sql')).sort();
for (const f of files) {
  if (applied.has(f)) continue;
  const sql = readFileSync(join(dir, f), 'utf8');
  await client.query(`BEGIN;\n${sql}\n;INSERT INTO floor_migrations (name) VALUES ('${f.replace(/'/g, "''")}');COMMIT`);
}
await client.end();

/**
 * The three engines: create and drop one database per measurement, run a query in it, and read
 * what PostgreSQL logged for it (statement counts, ERROR lines).
 */
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, openSync, readSync, closeSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import mysql from 'mysql2/promise';

// The project's own better-sqlite3 (its native build is already there; bench adds no second one).
const require = createRequire(import.meta.url);
const Sqlite = require('better-sqlite3');

export const PG = { host: process.env.BENCH_PG_HOST ?? '127.0.0.1', port: Number(process.env.BENCH_PG_PORT ?? 5432), user: process.env.BENCH_PG_USER ?? 'postgres' };
export const MY = { host: process.env.BENCH_MYSQL_HOST ?? '127.0.0.1', port: Number(process.env.BENCH_MYSQL_PORT ?? 3306), user: process.env.BENCH_MYSQL_USER ?? 'root' };

const sqliteDir = mkdtempSync(join(tmpdir(), 'godwit-bench-sqlite-'));
process.on('exit', () => rmSync(sqliteDir, { recursive: true, force: true }));

let seq = 0;
const runId = `${process.pid.toString(36)}${Date.now().toString(36).slice(-4)}`;

/**
 * @typedef {{ engine: 'pg'|'mysql'|'sqlite', name: string, file?: string }} Db
 */

async function pgAdmin(fn, database = 'postgres') {
  const c = new pg.Client({ ...PG, database });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

async function myAdmin(fn, database) {
  const c = await mysql.createConnection({ ...MY, database, multipleStatements: true });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Create an empty database (or SQLite file path) named after the measurement. */
export async function createDb(engine, label, { logStatements = false } = {}) {
  const name = `gwbench_${runId}_${seq++}_${label}`.toLowerCase().replace(/[^a-z0-9_]/g, '_').slice(0, 60);
  if (engine === 'pg') {
    await pgAdmin(async (c) => {
      await c.query(`CREATE DATABASE ${name}`);
      if (logStatements) await c.query(`ALTER DATABASE ${name} SET log_statement = 'all'`);
    });
  } else if (engine === 'mysql') {
    await myAdmin((c) => c.query(`CREATE DATABASE ${name}`));
  } else {
    return { engine, name, file: join(sqliteDir, `${name}.db`) };
  }
  return { engine, name };
}

export async function dropDb(db) {
  if (db.engine === 'pg') {
    await pgAdmin(async (c) => {
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [db.name]);
      await c.query(`DROP DATABASE IF EXISTS ${db.name}`);
    });
  } else if (db.engine === 'mysql') {
    await myAdmin((c) => c.query(`DROP DATABASE IF EXISTS ${db.name}`));
  } else {
    for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(db.file + suffix, { force: true });
    for (const f of readdirSync(sqliteDir)) if (f.startsWith(db.name)) rmSync(join(sqliteDir, f), { force: true, recursive: true });
  }
}

/** Run SQL in the database; rows of the last statement. */
export async function query(db, sql) {
  if (db.engine === 'pg') return pgAdmin(async (c) => (await c.query(sql)).rows, db.name);
  if (db.engine === 'mysql') return myAdmin(async (c) => (await c.query(sql))[0], db.name);
  const s = new Sqlite(db.file);
  try {
    const st = s.prepare(sql);
    return st.reader ? st.all() : (st.run(), []);
  } finally {
    s.close();
  }
}

/** Names of user tables in the database. */
export async function tables(db) {
  if (db.engine === 'pg') return (await query(db, `SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog','information_schema')`)).map((r) => r.t);
  if (db.engine === 'mysql') return (await query(db, `SELECT table_name AS t FROM information_schema.tables WHERE table_schema = '${db.name}'`)).map((r) => r.t ?? r.TABLE_NAME);
  if (!existsSync(db.file)) return [];
  return (await query(db, `SELECT name AS t FROM sqlite_master WHERE type = 'table'`)).map((r) => r.t);
}

// ---- PostgreSQL server log -------------------------------------------------------------------

/** The PostgreSQL server log (stderr destination, Debian layout), or undefined when not readable. */
export function pgLogFile() {
  if (process.env.BENCH_PG_LOG) return process.env.BENCH_PG_LOG;
  const dir = '/var/log/postgresql';
  try {
    const files = readdirSync(dir).filter((f) => /^postgresql-\d+-main\.log$/.test(f));
    for (const f of files) {
      const p = join(dir, f);
      try {
        closeSync(openSync(p, 'r'));
        return p;
      } catch {
        /* not readable */
      }
    }
  } catch {
    /* no such dir */
  }
  return undefined;
}

export function logOffset(file) {
  return file ? statSync(file).size : 0;
}

/** Log text appended since `offset`. */
export function logSince(file, offset) {
  const size = statSync(file).size;
  if (size <= offset) return '';
  const buf = Buffer.alloc(size - offset);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, buf.length, offset);
  } finally {
    closeSync(fd);
  }
  return buf.toString('utf8');
}

/**
 * Entries the server logged for database `name` (log_line_prefix '%m [%p] %q%u@%d '):
 * statements (simple-protocol `statement:` and extended-protocol `execute`), and ERROR lines.
 */
export function pgLogEntries(text, name) {
  const statements = [];
  const errors = [];
  const re = new RegExp(`^\\S+ \\S+ \\S+ \\[\\d+\\] \\S*@${name} (LOG|ERROR|FATAL|STATEMENT|DETAIL|WARNING):  (.*)$`);
  for (const line of text.split('\n')) {
    const m = re.exec(line);
    if (!m) continue;
    if (m[1] === 'LOG' && /^(statement|execute [^:]*): /.test(m[2])) statements.push(m[2]);
    else if (m[1] === 'ERROR' || m[1] === 'FATAL') errors.push(`${m[1]}: ${m[2]}`);
  }
  return { statements, errors };
}

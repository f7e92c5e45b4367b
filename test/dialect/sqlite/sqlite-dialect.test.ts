import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDialect } from '../../../src/dialect/sqlite/sqlite-dialect.js';
import { loadDialect } from '../../../src/dialect/registry.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import { DatabaseError, type Connection } from '../../../src/dialect/driver.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'godwit-sqlite-dialect-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const connect = (url: string): Promise<Connection> =>
  sqliteDialect.connect({ url: parseDatabaseUrl(url, dir), applicationName: 'godwit test', attemptTimeoutMs: 1000 });

test('the registry loads this dialect; capabilities are as declared', async () => {
  assert.equal(await loadDialect('sqlite'), sqliteDialect);
  assert.deepEqual(
    { ...sqliteDialect.capabilities },
    { transactionalDdl: true, advisoryLocks: false, concurrentIndex: false, cancelStatement: false, ddlLockTimeout: false, schemas: false },
  );
});

describe('resolveTarget', () => {
  test('absolute file path (relative URLs resolved), no schema', async () => {
    const url = parseDatabaseUrl('sqlite:./rel.db', dir);
    const c = await sqliteDialect.connect({ url, applicationName: 't', attemptTimeoutMs: 1000 });
    try {
      assert.deepEqual({ ...(await sqliteDialect.resolveTarget(c, url, 'godwit_migrations')) }, {
        database: join(dir, 'rel.db'),
        schema: undefined,
        table: 'godwit_migrations',
      });
      await assert.rejects(sqliteDialect.resolveTarget(c, url, 'main.godwit_migrations'), { code: 'CONFIG', message: /no schemas/ });
    } finally {
      await c.close();
    }
  });
  test(':memory:', async () => {
    const url = parseDatabaseUrl('sqlite::memory:');
    const c = await sqliteDialect.connect({ url, applicationName: 't', attemptTimeoutMs: 1000 });
    assert.equal((await sqliteDialect.resolveTarget(c, url, 'h')).database, ':memory:');
    await c.close();
  });
});

test('splitStatements uses the SQLite splitter', async () => {
  assert.deepEqual(await sqliteDialect.splitStatements('SELECT 1;\nCREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END;'), [
    { sql: 'SELECT 1', lineOffset: 0 },
    { sql: 'CREATE TRIGGER t AFTER INSERT ON a BEGIN SELECT 1; END', lineOffset: 1 },
  ]);
});

test('sqlite3 shell dot-commands are refused up front with their line', async () => {
  await assert.rejects(sqliteDialect.splitStatements('SELECT 1;\n\n.mode csv\n.import data.csv t\n'), (e: Error & { code?: string; facts?: { line?: number } }) => {
    assert.equal(e.code, 'BAD_MIGRATION');
    assert.equal(e.facts?.line, 3);
    assert.match(e.message, /"\.mode csv" is a sqlite3 shell command/);
    return true;
  });
  // a dot inside SQL is fine
  assert.equal((await sqliteDialect.splitStatements('SELECT .5;\nSELECT t.x FROM t;')).length, 2);
});

test('syntax errors and unknown columns carry the position of the token when it is unambiguous', async () => {
  const c = await connect('sqlite::memory:');
  try {
    await c.exec('CREATE TABLE users (id INTEGER, email TEXT)');
    const sql = 'SELECT id,\n  emial\nFROM users';
    await assert.rejects(c.query(sql), (e: unknown) => {
      assert.ok(e instanceof DatabaseError);
      assert.equal(e.position, sql.indexOf('emial') + 1);
      return true;
    });
    const bad = 'CREATE TABLE t (\n  a INTEGER,\n  b TEXT NOT NUL\n)';
    await assert.rejects(c.exec(bad), (e: unknown) => {
      assert.ok(e instanceof DatabaseError);
      assert.equal(e.sqlState, 'SQLITE_ERROR');
      assert.equal(e.position, bad.indexOf('NUL\n') + 1);
      return true;
    });
    // ambiguous token: no position rather than a wrong one
    await assert.rejects(c.query('SELECT nope, nope FROM users'), (e: unknown) => e instanceof DatabaseError && e.position === undefined);
  } finally {
    await c.close();
  }
});

test('mustRunOutsideTransaction: VACUUM, DETACH, journal_mode changes; nothing else', () => {
  const outside = ['VACUUM', '  vacuum main', "VACUUM INTO '/tmp/x.db'", '-- c\nDETACH x', 'DETACH DATABASE x', 'PRAGMA journal_mode = WAL', 'pragma main.journal_mode=delete'];
  const inside = ["ATTACH DATABASE 'x.db' AS x", 'CREATE TABLE vacuum_log (x)', 'PRAGMA journal_mode', 'PRAGMA foreign_keys = OFF', 'INSERT INTO t VALUES (1)', "SELECT 'VACUUM'"];
  for (const s of outside) assert.equal(sqliteDialect.mustRunOutsideTransaction(s), true, s);
  for (const s of inside) assert.equal(sqliteDialect.mustRunOutsideTransaction(s), false, s);
});

test('the statements listed as outside-transaction really fail (or are ignored) inside one', async () => {
  const c = await connect(`sqlite://${join(dir, 'outside.db')}`);
  try {
    await assert.rejects(c.inTransaction(() => c.exec('VACUUM')), DatabaseError);
    await assert.rejects(
      c.inTransaction(() => c.exec(`ATTACH DATABASE '${join(dir, 'att.db')}' AS att; CREATE TABLE att.t (x); DETACH att;`)),
      DatabaseError,
    );
    await assert.rejects(c.inTransaction(() => c.exec('PRAGMA journal_mode = DELETE')), /within a transaction/);
    assert.deepEqual(await c.query('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
  } finally {
    await c.close();
  }
});

test('isLockTimeout: SQLITE_BUSY and SQLITE_LOCKED families only', () => {
  assert.equal(sqliteDialect.isLockTimeout(new DatabaseError('database is locked', { sqlState: 'SQLITE_BUSY' })), true);
  assert.equal(sqliteDialect.isLockTimeout(new DatabaseError('x', { sqlState: 'SQLITE_BUSY_SNAPSHOT' })), true);
  assert.equal(sqliteDialect.isLockTimeout(new DatabaseError('x', { sqlState: 'SQLITE_LOCKED' })), true);
  assert.equal(sqliteDialect.isLockTimeout(new DatabaseError('x', { sqlState: 'SQLITE_ERROR' })), false);
  assert.equal(sqliteDialect.isLockTimeout(new Error('database is locked')), false);
});

test('setLockTimeout sets busy_timeout; 0 restores the connection\'s own', async () => {
  const c = await connect(`sqlite://${join(dir, 'busy.db')}?busy_timeout=700`);
  try {
    await sqliteDialect.setLockTimeout(c, 1500);
    assert.deepEqual(await c.query('PRAGMA busy_timeout'), [{ timeout: 1500 }]);
    await sqliteDialect.setLockTimeout(c, 0);
    assert.deepEqual(await c.query('PRAGMA busy_timeout'), [{ timeout: 700 }]);
  } finally {
    await c.close();
  }
});

test('detectTransactionPooler: never', async () => {
  const c = await connect('sqlite::memory:');
  assert.equal(await sqliteDialect.detectTransactionPooler(c), undefined);
  await c.close();
});

describe('probeInterrupted answers from the catalog', () => {
  let c: Connection;
  before(async () => {
    c = await connect('sqlite::memory:');
    await c.exec(`CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT);
CREATE INDEX users_email ON users (email);
CREATE VIEW v_users AS SELECT id FROM users;
CREATE TRIGGER trg AFTER INSERT ON users BEGIN SELECT 1; END;
CREATE TABLE "Odd Name" (x);`);
  });
  after(() => c.close());
  const cases: Array<[string, string]> = [
    ['CREATE TABLE users (id INTEGER)', 'applied'],
    ['create table if not exists "USERS" (id)', 'applied'],
    ['CREATE TABLE main.orders (id)', 'not-applied'],
    ['CREATE TABLE [Odd Name] (x)', 'applied'],
    ['/* c */ CREATE UNIQUE INDEX IF NOT EXISTS users_email ON users (email)', 'applied'],
    ['CREATE INDEX `users_name` ON users (email)', 'not-applied'],
    ['CREATE VIEW v_users AS SELECT 1', 'applied'],
    ['CREATE TRIGGER trg2 AFTER DELETE ON users BEGIN SELECT 1; END', 'not-applied'],
    ['DROP TABLE IF EXISTS orders', 'applied'],
    ['DROP TABLE users', 'not-applied'],
    ['DROP INDEX users_email', 'not-applied'],
    ['DROP VIEW gone', 'applied'],
    ['ALTER TABLE users ADD COLUMN email TEXT', 'applied'],
    ['ALTER TABLE users ADD name TEXT', 'not-applied'],
    ['ALTER TABLE users DROP COLUMN email', 'not-applied'],
    ['ALTER TABLE users DROP COLUMN nickname', 'applied'],
    ['ALTER TABLE users RENAME TO people', 'not-applied'],
    ['ALTER TABLE people RENAME TO users', 'applied'],
    ['ALTER TABLE users RENAME COLUMN email TO mail', 'not-applied'],
    ['ALTER TABLE users RENAME mail TO email', 'applied'],
    ['ALTER TABLE nosuch ADD COLUMN x', 'unknown'],
    ['INSERT INTO users VALUES (1, NULL)', 'unknown'],
    ['CREATE TEMP TABLE t (x)', 'unknown'],
    ['CREATE TABLE other.t (x)', 'unknown'],
    ['UPDATE users SET email = NULL', 'unknown'],
  ];
  for (const [sql, want] of cases) {
    test(`${sql} -> ${want}`, async () => {
      assert.equal(await sqliteDialect.probeInterrupted(c, sql), want);
    });
  }
});

/**
 * The PGlite connection `godwit check` replays PostgreSQL folders in: URL parsing, one shared
 * instance per URL (reference-counted), error mapping, the initdb template cache, and the normal
 * migrator (history store, advisory lock) running on it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMigrator } from '../../src/core/migrator.js';
import { parseDatabaseUrl } from '../../src/dialect/database-url.js';
import { DatabaseError } from '../../src/dialect/driver.js';
import { openSession } from '../schema/inspect-helpers.js';

test('pglite: URLs map to the postgres dialect, variant pglite', () => {
  assert.deepEqual(
    ['pglite:memory', 'pglite:memory:abc', 'pglite:///tmp/pg', 'pglite:data/pg?template-dir=/c'].map((u) => {
      const p = parseDatabaseUrl(u, '/work');
      return [p.dialect, p.variant, p.file, p.database, p.params['template-dir'] ?? null];
    }),
    [
      ['postgres', 'pglite', ':memory:', 'postgres', null],
      ['postgres', 'pglite', ':memory:abc', 'postgres', null],
      ['postgres', 'pglite', '/tmp/pg', 'postgres', null],
      ['postgres', 'pglite', '/work/data/pg', 'postgres', '/c'],
    ],
  );
  assert.throws(() => parseDatabaseUrl('pglite://host/x'), /Bad PGlite URL/);
});

test('connections to one in-memory URL share the instance until the last one closes', async () => {
  const url = `pglite:memory:shared_${process.pid}`;
  const a = await openSession(url);
  const b = await openSession(url);
  await a.conn.exec('CREATE TABLE t (x int); INSERT INTO t VALUES (1), (2)');
  assert.deepEqual(await b.conn.query('SELECT count(*)::int AS n FROM t'), [{ n: 2 }]);
  assert.equal(a.conn.sessionId, b.conn.sessionId);
  await a.conn.close();
  assert.deepEqual(await b.conn.query('SELECT x FROM t WHERE x > $1 ORDER BY x', [1]), [{ x: 2 }]);
  await b.conn.close();
  const c = await openSession(url);
  try {
    await assert.rejects(c.conn.query('SELECT * FROM t'), (e: unknown) => e instanceof DatabaseError && e.sqlState === '42P01');
  } finally {
    await c.conn.close();
  }
});

test('statement errors carry SQLSTATE and position; a failed transaction rolls back', async () => {
  const { conn } = await openSession(`pglite:memory:errors_${process.pid}`);
  try {
    const err = await conn.query('SELECT nope FROM pg_class').catch((e: unknown) => e);
    assert.ok(err instanceof DatabaseError);
    assert.equal(err.sqlState, '42703');
    assert.equal(err.position, 8);
    await assert.rejects(conn.inTransaction(async () => {
      await conn.exec('CREATE TABLE u (x int)');
      await conn.exec('SELECT 1/0');
    }), /division by zero/);
    assert.deepEqual(await conn.query("SELECT to_regclass('u') AS r"), [{ r: null }]);
  } finally {
    await conn.close();
  }
});

test('the initdb template is saved once and used by the next start', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'godwit-pglite-template-'));
  try {
    const first = await openSession(`pglite:memory:tpl1_${process.pid}?template-dir=${encodeURIComponent(dir)}`);
    await first.conn.exec('CREATE TABLE only_in_first (x int)');
    await first.conn.close();
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^pglite-\d+\.\d+\.\d+.*\.tar\.gz$/);
    const second = await openSession(`pglite:memory:tpl2_${process.pid}?template-dir=${encodeURIComponent(dir)}`);
    try {
      // A fresh database: the template was taken before anything ran.
      assert.deepEqual(await second.conn.query("SELECT to_regclass('only_in_first') AS r"), [{ r: null }]);
      assert.deepEqual(await second.conn.query('SELECT current_database() AS d'), [{ d: 'postgres' }]);
    } finally {
      await second.conn.close();
    }
    // A damaged template is replaced, not fatal.
    writeFileSync(join(dir, files[0]!), 'not a tarball');
    const third = await openSession(`pglite:memory:tpl3_${process.pid}?template-dir=${encodeURIComponent(dir)}`);
    try {
      assert.deepEqual(await third.conn.query('SELECT 1 AS one'), [{ one: 1 }]);
    } finally {
      await third.conn.close();
    }
    assert.ok(statSync(join(dir, files[0]!)).size > 100_000, 'the damaged template was written again');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the migrator runs on PGlite: up, status, down', async () => {
  const url = `pglite:memory:migrator_${process.pid}`;
  const keeper = await openSession(url);
  try {
    const m = createMigrator({
      database: url,
      migrations: [
        { version: 1, name: 'a', up: 'CREATE TABLE a (id int PRIMARY KEY);', down: 'DROP TABLE a;' },
        { version: 2, name: 'b', up: 'CREATE INDEX a_id ON a (id);', down: 'DROP INDEX a_id;' },
      ],
    });
    assert.deepEqual((await m.up()).versions, [1, 2]);
    assert.deepEqual((await m.status()).pending, []);
    assert.deepEqual((await m.down({ step: 1 })).versions, [2]);
    assert.deepEqual(await keeper.conn.query("SELECT to_regclass('a_id') AS r, to_regclass('a')::text AS t"), [{ r: null, t: 'a' }]);
  } finally {
    await keeper.conn.close();
  }
});

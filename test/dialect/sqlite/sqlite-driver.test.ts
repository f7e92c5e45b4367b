import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sqliteDialect } from '../../../src/dialect/sqlite/sqlite-dialect.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import { DatabaseError, type Connection } from '../../../src/dialect/driver.js';
import { GodwitError } from '../../../src/core/errors.js';

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'godwit-sqlite-driver-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const open = (url: string): Promise<Connection> =>
  sqliteDialect.connect({ url: parseDatabaseUrl(url), applicationName: 'godwit test', attemptTimeoutMs: 1000 });

async function withConn<T>(url: string, fn: (c: Connection) => Promise<T>): Promise<T> {
  const c = await open(url);
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}

describe('sqlite connection settings', () => {
  test('file databases use WAL, busy_timeout 5000 and SQLite\'s default foreign_keys=off', async () => {
    await withConn(`sqlite://${join(dir, 'settings.db')}`, async (c) => {
      assert.deepEqual(await c.query('PRAGMA journal_mode'), [{ journal_mode: 'wal' }]);
      assert.deepEqual(await c.query('PRAGMA busy_timeout'), [{ timeout: 5000 }]);
      assert.deepEqual(await c.query('PRAGMA foreign_keys'), [{ foreign_keys: 0 }]);
      assert.equal(c.sessionId, String(process.pid));
    });
  });

  test('URL parameters override busy_timeout, journal_mode and foreign_keys', async () => {
    await withConn(`sqlite://${join(dir, 'params.db')}?busy_timeout=1234&journal_mode=delete&foreign_keys=on`, async (c) => {
      assert.deepEqual(await c.query('PRAGMA journal_mode'), [{ journal_mode: 'delete' }]);
      assert.deepEqual(await c.query('PRAGMA busy_timeout'), [{ timeout: 1234 }]);
      assert.deepEqual(await c.query('PRAGMA foreign_keys'), [{ foreign_keys: 1 }]);
    });
    await assert.rejects(open(`sqlite://${join(dir, 'p2.db')}?busy_timeout=soon`), { code: 'CONFIG' });
    await assert.rejects(open(`sqlite://${join(dir, 'p3.db')}?foreign_keys=maybe`), { code: 'CONFIG' });
  });

  test('sqlite::memory: works, each connection is its own database', async () => {
    await withConn('sqlite::memory:', async (a) => {
      await a.exec('CREATE TABLE t (x INTEGER)');
      await withConn('sqlite::memory:', async (b) => {
        await assert.rejects(b.query('SELECT * FROM t'), { sqlState: 'SQLITE_ERROR' });
      });
    });
  });

  test('the usual table-rebuild migration keeps child rows by default (peer tools behave the same)', async () => {
    const rebuild = async (c: Connection) => {
      await c.exec(
        'CREATE TABLE parent (id INTEGER PRIMARY KEY); CREATE TABLE child (id INTEGER PRIMARY KEY, p INTEGER REFERENCES parent(id) ON DELETE CASCADE);' +
          'INSERT INTO parent VALUES (1); INSERT INTO child VALUES (10, 1);',
      );
      await c.inTransaction(async () => {
        await c.exec('CREATE TABLE parent_new (id INTEGER PRIMARY KEY, extra TEXT); INSERT INTO parent_new (id) SELECT id FROM parent;');
        await c.exec('DROP TABLE parent; ALTER TABLE parent_new RENAME TO parent;');
      });
      return c.query('SELECT count(*) AS n FROM child');
    };
    assert.deepEqual(await withConn(`sqlite://${join(dir, 'rebuild-default.db')}`, rebuild), [{ n: 1 }]);
    // The reason foreign_keys is off by default: with it on, DROP TABLE runs ON DELETE CASCADE.
    assert.deepEqual(await withConn(`sqlite://${join(dir, 'rebuild-fk.db')}?foreign_keys=on`, rebuild), [{ n: 0 }]);
  });
});

describe('sqlite open errors', () => {
  test('a missing directory is a ConfigError naming the path', async () => {
    const file = join(dir, 'no', 'such', 'dir', 'app.db');
    await assert.rejects(open(`sqlite://${file}`), (e: unknown) => {
      assert.ok(e instanceof GodwitError);
      assert.equal(e.code, 'CONFIG');
      assert.match(e.message, new RegExp(file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')));
      assert.match(e.message, /does not exist/);
      return true;
    });
  });

  test('a file that is not a database is a ConfigError', async () => {
    const file = join(dir, 'not-a-db.db');
    writeFileSync(file, 'this is plainly not an sqlite database file, it is text that is long enough'.repeat(20));
    await assert.rejects(open(`sqlite://${file}`), (e: unknown) => {
      assert.ok(e instanceof GodwitError);
      assert.equal(e.code, 'CONFIG');
      assert.match(e.message, /not-a-db\.db/);
      return true;
    });
  });
});

describe('sqlite statements', () => {
  test('query binds ? parameters, returns rows, and [] for statements without rows', async () => {
    await withConn('sqlite::memory:', async (c) => {
      assert.deepEqual(await c.query('CREATE TABLE t (a INTEGER, b TEXT, c INTEGER)'), []);
      assert.deepEqual(await c.query('INSERT INTO t VALUES (?, ?, ?)', [20250101120000, 'x', true]), []);
      assert.deepEqual(await c.query('INSERT INTO t VALUES (?, ?, ?)', [2, undefined, false]), []);
      assert.deepEqual(await c.query('SELECT a, b, c FROM t ORDER BY a DESC'), [
        { a: 20250101120000, b: 'x', c: 1 },
        { a: 2, b: null, c: 0 },
      ]);
      assert.deepEqual(await c.query('UPDATE t SET c = 5 WHERE a = ? RETURNING a', [2]), [{ a: 2 }]);
    });
  });

  test('exec runs several statements; errors are DatabaseErrors with the SQLite code as sqlState', async () => {
    await withConn('sqlite::memory:', async (c) => {
      await c.exec('CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);');
      await assert.rejects(c.exec('INSERT INTO t VALUES (1)'), (e: unknown) => {
        assert.ok(e instanceof DatabaseError);
        assert.equal(e.code, 'MIGRATION_FAILED');
        assert.equal(e.sqlState, 'SQLITE_CONSTRAINT_PRIMARYKEY');
        assert.match(e.message, /UNIQUE constraint failed/);
        return true;
      });
      await assert.rejects(c.query('SELEC 1'), { name: 'DatabaseError', sqlState: 'SQLITE_ERROR' });
      await assert.rejects(c.query('SELECT * FROM missing'), /no such table: missing/);
    });
  });

  test('inTransaction commits, rolls back on throw (DDL included), and is not nestable', async () => {
    await withConn('sqlite::memory:', async (c) => {
      assert.equal(await c.inTransaction(async () => (await c.exec('CREATE TABLE a (x)'), 7)), 7);
      const boom = new Error('boom');
      await assert.rejects(
        c.inTransaction(async () => {
          await c.exec('CREATE TABLE b (x); INSERT INTO a VALUES (1);');
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.deepEqual(await c.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"), [{ name: 'a' }]);
      assert.deepEqual(await c.query('SELECT count(*) AS n FROM a'), [{ n: 0 }]);
      await assert.rejects(
        c.inTransaction(() => c.inTransaction(async () => 1)),
        { code: 'INTERNAL' },
      );
      // still usable after the refused nesting rolled back
      assert.equal(await c.inTransaction(async () => 'ok'), 'ok');
    });
  });

  test('a transaction takes the write lock up front (BEGIN IMMEDIATE): a second writer gets SQLITE_BUSY after its busy_timeout', async () => {
    const file = join(dir, 'immediate.db');
    await withConn(`sqlite://${file}`, async (a) => {
      await a.exec('CREATE TABLE t (x)');
      await withConn(`sqlite://${file}?busy_timeout=50`, async (b) => {
        await a.inTransaction(async () => {
          // a has written nothing yet, but holds the write lock already
          await assert.rejects(b.inTransaction(async () => b.exec('INSERT INTO t VALUES (2)')), (e: unknown) => {
            assert.ok(sqliteDialect.isLockTimeout(e));
            return true;
          });
          // readers are not blocked (WAL)
          assert.deepEqual(await b.query('SELECT count(*) AS n FROM t'), [{ n: 0 }]);
        });
        await b.inTransaction(() => b.exec('INSERT INTO t VALUES (2)'));
      });
    });
  });

  test('close is idempotent, closed flips, and use after close is a ConnectionError', async () => {
    const c = await open('sqlite::memory:');
    assert.equal(c.closed, false);
    await c.cancel();
    await c.close();
    await c.close();
    assert.equal(c.closed, true);
    await assert.rejects(c.query('SELECT 1'), { code: 'CONNECTION' });
    await assert.rejects(c.exec('SELECT 1'), { code: 'CONNECTION' });
  });
});

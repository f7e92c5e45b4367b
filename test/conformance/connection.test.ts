/**
 * Connection conformance: what core relies on from every dialect's session
 * (src/dialect/driver.ts and Dialect.connect in src/dialect/dialect.ts).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomBytes } from 'node:crypto';
import { parseDatabaseUrl } from '../../src/dialect/database-url.js';
import { DatabaseError } from '../../src/dialect/driver.js';
import { GodwitError } from '../../src/core/errors.js';
import { createTestDb, dialect, dialectsUnderTest, ph, Sessions, tableExists, TEST_TIMEOUT, type TestDb } from './conformance-kit.js';

const SLEEP: Record<string, string> = { postgres: 'SELECT pg_sleep(30)', mysql: 'SELECT SLEEP(30)' };

for (const { kind, options } of await dialectsUnderTest()) {
  describe(`Connection conformance: ${kind}`, options, () => {
    let db: TestDb;
    let s: Sessions;
    before(async () => {
      db = await createTestDb(kind, 'gwconn');
      s = new Sessions(kind, db);
    });
    after(async () => {
      await s?.closeAll();
      await db?.drop();
    });

    test('query returns rows keyed by column, binds parameters, and [] for statements without rows', TEST_TIMEOUT, async () => {
      const c = await s.connect();
      assert.equal(typeof c.sessionId, 'string');
      assert.ok(c.sessionId.length > 0, 'sessionId is not empty');
      assert.equal(c.closed, false);
      assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
      await c.exec('CREATE TABLE conn_rows (id INTEGER PRIMARY KEY, name VARCHAR(50))');
      assert.deepEqual(await c.query(`INSERT INTO conn_rows (id, name) VALUES (${ph(kind, 1)}, ${ph(kind, 2)})`, [1, 'a;b']), []);
      assert.deepEqual(await c.query(`INSERT INTO conn_rows (id, name) VALUES (${ph(kind, 1)}, ${ph(kind, 2)})`, [2, null]), []);
      assert.deepEqual(await c.query('UPDATE conn_rows SET name = name WHERE id = -1'), []);
      assert.deepEqual(await c.query('SELECT id, name FROM conn_rows ORDER BY id'), [
        { id: 1, name: 'a;b' },
        { id: 2, name: null },
      ]);
      assert.deepEqual(await c.query(`SELECT name FROM conn_rows WHERE id = ${ph(kind, 1)}`, [1]), [{ name: 'a;b' }]);
      assert.deepEqual(await c.query(`SELECT name FROM conn_rows WHERE id = ${ph(kind, 1)}`, [99]), []);
    });

    test('inTransaction commits and returns the callback\'s value', TEST_TIMEOUT, async () => {
      const c = await s.connect();
      await c.exec('CREATE TABLE conn_commit (id INTEGER PRIMARY KEY)');
      const v = await c.inTransaction(async () => {
        await c.query(`INSERT INTO conn_commit (id) VALUES (${ph(kind, 1)})`, [1]);
        return 'done';
      });
      assert.equal(v, 'done');
      const other = await s.connect();
      assert.deepEqual(await other.query('SELECT id FROM conn_commit'), [{ id: 1 }]);
    });

    test('inTransaction rolls back and rethrows the very error; DDL rolls back iff transactionalDdl', TEST_TIMEOUT, async () => {
      const d = await dialect(kind);
      const c = await s.connect();
      await c.exec('CREATE TABLE conn_rollback (id INTEGER PRIMARY KEY)');
      const boom = new Error('boom');
      await assert.rejects(
        c.inTransaction(async () => {
          await c.query(`INSERT INTO conn_rollback (id) VALUES (${ph(kind, 1)})`, [1]);
          await c.exec('CREATE TABLE conn_rollback_ddl (id INTEGER)');
          throw boom;
        }),
        (e) => e === boom,
      );
      assert.equal(await tableExists(db, 'conn_rollback_ddl'), !d.capabilities.transactionalDdl);
      if (d.capabilities.transactionalDdl) {
        assert.deepEqual(await c.query('SELECT id FROM conn_rollback'), []);
      }
    });

    test('a failed statement is a DatabaseError with sqlState; the session stays usable, in and out of a transaction', TEST_TIMEOUT, async () => {
      const c = await s.connect();
      await assert.rejects(c.query('SELECT * FROM conn_no_such_table'), (e: unknown) => {
        assert.ok(e instanceof DatabaseError, `got ${String(e)}`);
        assert.equal(e.code, 'MIGRATION_FAILED');
        assert.equal(typeof e.sqlState, 'string');
        assert.ok(e.sqlState!.length > 0);
        assert.match(e.message, /conn_no_such_table/);
        return true;
      });
      await assert.rejects(c.exec('THIS IS NOT SQL'), DatabaseError);
      assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
      await assert.rejects(c.inTransaction(() => c.exec('SELECT * FROM conn_no_such_table')), DatabaseError);
      assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
      assert.equal(await c.inTransaction(async () => (await c.query('SELECT 2 AS two'))[0]?.two), 2);
    });

    test('close is idempotent; afterwards closed is true and queries reject with a GodwitError', TEST_TIMEOUT, async () => {
      const c = await (await dialect(kind)).connect({ url: s.url, applicationName: 'godwit conformance', attemptTimeoutMs: 10_000 });
      await c.cancel();
      await c.close();
      await c.close();
      assert.equal(c.closed, true);
      await assert.rejects(c.query('SELECT 1'), (e: unknown) => e instanceof GodwitError);
    });

    test('cancel() and an aborted signal stop a running statement where the dialect can; the session stays usable', TEST_TIMEOUT, async (t) => {
      const d = await dialect(kind);
      if (!d.capabilities.cancelStatement) {
        const c = await s.connect();
        await c.cancel();
        t.skip('capabilities.cancelStatement is false');
        return;
      }
      const c = await s.connect();
      const running = c.query(SLEEP[kind]!).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 500));
      await c.cancel();
      await running;
      assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);

      const ac = new AbortController();
      const viaSignal = c.query(SLEEP[kind]!, [], { signal: ac.signal }).then(
        () => 'resolved',
        (e: unknown) => e,
      );
      await new Promise((r) => setTimeout(r, 500));
      ac.abort('SIGTERM');
      await viaSignal;
      assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
    });

    test('an unknown database is a ConfigError (exit 2, no retry)', TEST_TIMEOUT, async () => {
      const d = await dialect(kind);
      const missing = `gw_missing_${randomBytes(4).toString('hex')}`;
      const raw =
        kind === 'sqlite'
          ? `sqlite://${join(tmpdir(), missing, 'no-such-dir', 'app.db')}`
          : db.url.replace(/\/[^/?]*(\?|$)/, `/${missing}$1`);
      await assert.rejects(d.connect({ url: parseDatabaseUrl(raw), applicationName: 'godwit conformance', attemptTimeoutMs: 10_000 }), (e: unknown) => {
        assert.ok(e instanceof GodwitError, `got ${String(e)}`);
        assert.equal(e.code, 'CONFIG');
        assert.ok(e.message.includes(missing), `message names the database: ${e.message}`);
        return true;
      });
    });

    test('an unreachable server is a ConnectionError (exit 3, retryable) whose message masks the password', { ...TEST_TIMEOUT, skip: kind === 'sqlite' ? 'no server' : undefined }, async () => {
      const d = await dialect(kind);
      const raw = `${kind === 'postgres' ? 'postgres' : 'mysql'}://godwit:s3cr3t-pw@127.0.0.1:1/somedb`;
      await assert.rejects(d.connect({ url: parseDatabaseUrl(raw), applicationName: 'godwit conformance', attemptTimeoutMs: 3000 }), (e: unknown) => {
        assert.ok(e instanceof GodwitError, `got ${String(e)}`);
        assert.equal(e.code, 'CONNECTION');
        assert.ok(!e.message.includes('s3cr3t-pw'), `password leaked: ${e.message}`);
        assert.ok(!JSON.stringify(e.facts).includes('s3cr3t-pw'), 'password leaked in facts');
        return true;
      });
    });
  });
}

/**
 * The lease lock (src/dialect/lease-locker.ts driven by src/dialect/mysql/mysql-lease.ts) on the
 * local MariaDB: the row, the database clock, takeover after expiry, fencing, the heartbeat.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlDialect } from '../../../src/dialect/mysql/mysql-dialect.js';
import { mysqlLeaseSpec } from '../../../src/dialect/mysql/mysql-lease.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import { LockLostError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

/** The same session without `fork`: a lease taken on it gets no heartbeat (a frozen holder). */
function withoutFork(c: Connection): Connection {
  return {
    exec: (sql, o) => c.exec(sql, o),
    query: (sql, p, o) => c.query(sql, p, o),
    inTransaction: (fn) => c.inTransaction(fn),
    cancel: () => c.cancel(),
    close: () => c.close(),
    get closed() {
      return c.closed;
    },
    sessionId: c.sessionId,
  };
}

describe('MySQL lease lock', await skipUnless('mysql'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(url = db.url): Promise<Connection> {
    const c = await mysqlDialect.connect({ url: parseDatabaseUrl(url), applicationName: 'godwit 0.0.0-test lease', attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  async function lockerOn(conn: Connection, table = 'godwit_migrations', url = db.url) {
    return mysqlDialect.createLocker(await mysqlDialect.resolveTarget(conn, parseDatabaseUrl(url), table), 'lease');
  }
  before(async () => {
    db = await createTestDb('mysql', 'gwmylease');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('the database clock is UTC epoch milliseconds, independent of the session time zone', async () => {
    const c = await connect();
    for (const tz of ['+00:00', '+09:30', '-07:00']) {
      await c.exec(`SET time_zone = '${tz}'`);
      const [row] = await c.query<{ now: number | string }>(`SELECT ${mysqlLeaseSpec.nowMs} AS now`);
      assert.ok(Math.abs(Number(row?.now) - Date.now()) < 60_000, `${tz}: ${String(row?.now)} vs ${Date.now()}`);
    }
  });

  test('the lease row lives in <database>.<table>_lock (InnoDB even where the default engine is not) and is deleted on release', async () => {
    const c = await connect();
    await c.exec('SET SESSION default_storage_engine = MyISAM');
    const lease = await (await lockerOn(c)).acquire(c, { timeoutMs: 2000, owner: 'godwit 1.0 pod-x' });
    const rows = await db.sql<{ name: string; owner: string; token: number; ttl: number }>('SELECT name, owner, token, expires_at - acquired_at AS ttl FROM godwit_migrations_lock');
    assert.deepEqual(rows, [{ name: `${db.name}.godwit_migrations`, owner: 'godwit 1.0 pod-x', token: 1, ttl: 30_000 }]);
    const [engine] = await db.sql<{ e: string }>("SELECT ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'godwit_migrations_lock'");
    assert.equal(engine?.e, 'InnoDB');
    await lease.release();
    assert.deepEqual(await db.sql('SELECT * FROM godwit_migrations_lock'), []);
  });

  test('an expired lease is taken over; the old holder fails assertHeld (LockLostError) and its release leaves the new lease alone', async () => {
    const a = await connect();
    const b = await connect();
    const frozen = withoutFork(a);
    const old = await (await lockerOn(a)).acquire(frozen, { timeoutMs: 2000, owner: 'frozen', leaseTtlMs: 200 });
    await old.assertHeld(frozen);
    const lb = await lockerOn(b);
    const taken = await lb.acquire(b, { timeoutMs: 10_000, pollMs: 20, owner: 'survivor', leaseTtlMs: 30_000 });
    assert.deepEqual(await db.sql('SELECT owner, token FROM godwit_migrations_lock'), [{ owner: 'survivor', token: 2 }]);
    await assert.rejects(
      a.inTransaction(() => old.assertHeld(frozen)),
      (e: unknown) => e instanceof LockLostError && /survivor/.test(e.message),
    );
    await old.release();
    assert.deepEqual(await db.sql('SELECT owner FROM godwit_migrations_lock'), [{ owner: 'survivor' }]);
    assert.equal((await lb.holder(b))?.who, 'survivor');
    await taken.assertHeld(b);
    await taken.release();
    assert.equal(await lb.holder(b), undefined);
  });

  test('the heartbeat (on a forked session) keeps a short lease alive while the holder is busy', async () => {
    const a = await connect();
    const b = await connect();
    const lease = await (await lockerOn(a)).acquire(a, { timeoutMs: 2000, owner: 'busy', leaseTtlMs: 300 });
    // The holder's own session is busy for a second; the heartbeat runs on its fork.
    const busy = a.query('SELECT SLEEP(1) AS s');
    await assert.rejects((await lockerOn(b)).acquire(b, { timeoutMs: 900, pollMs: 30, owner: 'waiter' }), { code: 'TIMEOUT' });
    await busy;
    await lease.assertHeld(a);
    await lease.release();
  });

  test('with --table otherdb.table the history and the lease row live in the other database', async () => {
    const other = await createTestDb('mysql', 'gwmylease2');
    try {
      const c = await connect();
      const target = await mysqlDialect.resolveTarget(c, parseDatabaseUrl(db.url), `${other.name}.app_migrations`);
      assert.deepEqual(target, { database: other.name, schema: undefined, table: 'app_migrations' });
      const lease = await mysqlDialect.createLocker(target, 'lease').acquire(c, { timeoutMs: 2000, owner: 'elsewhere' });
      assert.deepEqual(await other.sql('SELECT owner FROM app_migrations_lock'), [{ owner: 'elsewhere' }]);
      await lease.release();
    } finally {
      await other.drop();
    }
  });
});

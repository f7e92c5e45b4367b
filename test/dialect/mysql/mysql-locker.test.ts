/**
 * The GET_LOCK session locker (src/dialect/mysql/mysql-locker.ts) on the local MariaDB.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlDialect } from '../../../src/dialect/mysql/mysql-dialect.js';
import { MysqlSessionLocker, mysqlLockName } from '../../../src/dialect/mysql/mysql-locker.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import type { Target } from '../../../src/dialect/target.js';
import { ConnectionError, LockLostError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

const LONG = { timeoutMs: 10_000, pollMs: 20 } as const;
const SHORT = { timeoutMs: 200, pollMs: 20 } as const;

test('the lock name of the default target is pinned: it must never change between releases', () => {
  // sha256("godwit\0app\0\0godwit_migrations") = 9f91316d66c9e8d587ffa4585ae04188 3cfd2b...
  assert.equal(mysqlLockName({ database: 'app', schema: undefined, table: 'godwit_migrations' }), 'godwit:9f91316d66c9e8d587ffa4585ae04188');
});

test('lock names fit MySQL\'s 64 characters and differ per database and per table', () => {
  const names = new Set([
    mysqlLockName({ database: 'app', schema: undefined, table: 'godwit_migrations' }),
    mysqlLockName({ database: 'app2', schema: undefined, table: 'godwit_migrations' }),
    mysqlLockName({ database: 'app', schema: undefined, table: 'other_migrations' }),
    mysqlLockName({ database: 'x'.repeat(64), schema: undefined, table: 'y'.repeat(64) }),
  ]);
  assert.equal(names.size, 4);
  for (const n of names) assert.ok(/^godwit:[0-9a-f]{32}$/.test(n) && n.length <= 64, n);
});

describe('MySQL session locker', await skipUnless('mysql'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(url = db.url, app = 'godwit 0.0.0-test locker-host'): Promise<Connection> {
    const c = await mysqlDialect.connect({ url: parseDatabaseUrl(url), applicationName: app, attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  async function locker(conn: Connection, table = 'godwit_migrations'): Promise<MysqlSessionLocker> {
    const l = mysqlDialect.createLocker(await mysqlDialect.resolveTarget(conn, parseDatabaseUrl(db.url), table), 'session');
    assert.ok(l instanceof MysqlSessionLocker);
    return l;
  }
  before(async () => {
    db = await createTestDb('mysql', 'gwmylock');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('GET_LOCK is taken on the session with the target\'s name; a second session cannot get it; holder() names the holder', async () => {
    const a = await connect();
    const b = await connect();
    const la = await locker(a);
    const lb = await locker(b);
    assert.equal(la.lockName, mysqlLockName({ database: db.name, schema: undefined, table: 'godwit_migrations' }));
    const lease = await la.acquire(a, { ...LONG, owner: 'godwit 0.0.0-test holder-a' });
    const [row] = await db.sql<{ id: number }>('SELECT IS_USED_LOCK(?) AS id', [la.lockName]);
    assert.equal(String(row?.id), a.sessionId);
    await assert.rejects(lb.acquire(b, { ...SHORT, owner: 'waiter-b' }), { code: 'TIMEOUT' });
    const [direct] = await db.sql<{ got: number }>('SELECT GET_LOCK(?, 0) AS got', [la.lockName]);
    assert.equal(direct?.got, 0, 'a third session outside godwit is refused too');
    const h = await lb.holder(b);
    assert.ok(h);
    assert.equal(h.sessionId, a.sessionId);
    assert.match(h.who, new RegExp(`connection ${a.sessionId}\\b`));
    assert.match(h.who, /root@/, h.who); // user@client host from the process list
    await lease.assertHeld(a);
    await lease.release();
    assert.equal(await lb.holder(b), undefined);
    await assert.rejects(lease.assertHeld(a), LockLostError);
  });

  test('the lock is free once the holder\'s session is KILLed', async () => {
    const a = await connect();
    const b = await connect();
    const lease = await (await locker(a)).acquire(a, { ...LONG, owner: 'a' });
    await db.sql(`KILL ${Number(a.sessionId)}`);
    const lb = await locker(b);
    const got = await lb.acquire(b, { ...LONG, owner: 'b' });
    // The killed holder finds out before its next history write, and releasing is harmless.
    await assert.rejects(lease.assertHeld(a), ConnectionError);
    await lease.release();
    assert.equal((await lb.holder(b))?.sessionId, b.sessionId);
    await got.release();
  });

  test('assertHeld on a live session fails if the lock went to someone else', async () => {
    const a = await connect();
    const b = await connect();
    const lease = await (await locker(a)).acquire(a, { ...LONG, owner: 'a' });
    // Freed behind godwit's back (e.g. a migration ran RELEASE_ALL_LOCKS()), then taken by b.
    await a.query('SELECT RELEASE_ALL_LOCKS() AS n');
    const other = await (await locker(b)).acquire(b, { ...SHORT, owner: 'b' });
    await assert.rejects(lease.assertHeld(a), (e: unknown) => e instanceof LockLostError && e.message.includes(`connection ${b.sessionId} holds it`));
    await other.release();
    await lease.release();
  });

  test('the same table in two databases, and two tables in one database, do not block each other', async () => {
    const other = await createTestDb('mysql', 'gwmylock2');
    try {
      const a = await connect();
      const b = await connect(other.url);
      const c = await connect();
      const one = await (await locker(a)).acquire(a, { ...LONG, owner: 'one' });
      const lb = mysqlDialect.createLocker(await mysqlDialect.resolveTarget(b, parseDatabaseUrl(other.url), 'godwit_migrations'), 'session');
      const two = await lb.acquire(b, { ...SHORT, owner: 'two' });
      const three = await (await locker(c, 'billing_migrations')).acquire(c, { ...SHORT, owner: 'three' });
      await one.release();
      await two.release();
      await three.release();
    } finally {
      await other.drop();
    }
  });

  test('acquiring a lock the session already holds is refused instead of stacking a re-entrant hold', async () => {
    const a = await connect();
    const b = await connect();
    const la = await locker(a);
    const lease = await la.acquire(a, { ...LONG, owner: 'a' });
    await assert.rejects(la.acquire(a, { ...LONG, owner: 'a' }), { code: 'INTERNAL' });
    await lease.release();
    // Exactly one release frees it.
    const other = await (await locker(b)).acquire(b, { ...SHORT, owner: 'b' });
    await other.release();
  });

  test('forceRelease is refused for session locks (the server frees them with the session)', async () => {
    const a = await connect();
    assert.equal(await (await locker(a)).forceRelease(a), false);
  });
});

/**
 * The PostgreSQL advisory (session) lock: the pinned key, exclusion between sessions, the holder
 * report from pg_locks/pg_stat_activity, and freeing by the server when the holder's backend dies.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { advisoryLockKey, PostgresSessionLocker } from '../../../src/dialect/postgres/postgres-locker.js';
import { postgresDialect } from '../../../src/dialect/postgres/postgres-dialect.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import { LockLostError, TimeoutError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

describe('advisory lock key', () => {
  test('the default target\'s key is pinned: never change it (old and new releases must exclude each other)', () => {
    assert.equal(advisoryLockKey({ database: 'app', schema: 'public', table: 'godwit_migrations' }), '-6360402134922559231');
  });

  test('the key is the first 8 bytes of SHA-256 of the target key text, as a signed int64', () => {
    const key = BigInt(advisoryLockKey({ database: 'app', schema: 'public', table: 'godwit_migrations' }));
    assert.equal(BigInt.asUintN(64, key).toString(16), 'a7bb4ff5074e0101');
  });

  test('database, schema and table each change the key', () => {
    const base = { database: 'app', schema: 'public', table: 'godwit_migrations' };
    const keys = new Set([
      advisoryLockKey(base),
      advisoryLockKey({ ...base, database: 'app2' }),
      advisoryLockKey({ ...base, schema: 'other' }),
      advisoryLockKey({ ...base, table: 'other_migrations' }),
    ]);
    assert.equal(keys.size, 4);
  });
});

describe('PostgreSQL session locker', await skipUnless('postgres'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(app: string): Promise<Connection> {
    const c = await postgresDialect.connect({ url: parseDatabaseUrl(db.url), applicationName: app, attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  async function locker(conn: Connection): Promise<PostgresSessionLocker> {
    return new PostgresSessionLocker(await postgresDialect.resolveTarget(conn, parseDatabaseUrl(db.url), 'godwit_migrations'));
  }
  before(async () => {
    db = await createTestDb('postgres', 'gwpglock');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('the second session cannot take the lock while the first holds it; holder() names the first (application_name, pid)', async () => {
    const a = await connect('godwit 1.2.3 pod-a');
    const b = await connect('godwit 1.2.3 pod-b');
    const la = await locker(a);
    const lb = await locker(b);
    const lease = await la.acquire(a, { timeoutMs: 5000, owner: 'pod-a' });
    await assert.rejects(lb.acquire(b, { timeoutMs: 300, pollMs: 20, owner: 'pod-b' }), (e: unknown) => {
      assert.ok(e instanceof TimeoutError);
      assert.match(e.message, /godwit 1\.2\.3 pod-a/);
      return true;
    });
    const h = await lb.holder(b);
    assert.ok(h);
    assert.match(h.who, /^godwit 1\.2\.3 pod-a/);
    assert.equal(h.sessionId, a.sessionId);
    assert.ok(h.since instanceof Date);
    // The lock really is the advisory lock with our key, held by a's backend.
    const rows = await db.sql<{ pid: number }>(
      "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND ((classid::bigint << 32) | objid::bigint) = $1::bigint",
      [la.key],
    );
    assert.deepEqual(rows.map((r) => String(r.pid)), [a.sessionId]);
    await lease.assertHeld(a);
    await lease.assertHeld(b); // asked from another session, about a's backend
    await lease.release();
    assert.equal(await lb.holder(b), undefined);
  });

  test('the lock is free once the holder\'s backend is terminated; the old lease then fails assertHeld', async () => {
    const a = await connect('godwit test holder');
    const b = await connect('godwit test waiter');
    const la = await locker(a);
    const lb = await locker(b);
    const lease = await la.acquire(a, { timeoutMs: 5000, owner: 'a' });
    await assert.rejects(lb.acquire(b, { timeoutMs: 200, pollMs: 20, owner: 'b' }), TimeoutError);
    await db.sql('SELECT pg_terminate_backend($1)', [Number(a.sessionId)]);
    const got = await lb.acquire(b, { timeoutMs: 10_000, pollMs: 20, owner: 'b' });
    await assert.rejects(lease.assertHeld(b), LockLostError);
    await lease.release(); // on a dead session: a no-op, no throw
    await got.assertHeld(b);
    await got.release();
  });

  test('assertHeld throws LockLostError when the session no longer holds the lock', async () => {
    const a = await connect('godwit test');
    const la = await locker(a);
    const lease = await la.acquire(a, { timeoutMs: 5000, owner: 'a' });
    await a.query('SELECT pg_advisory_unlock($1::bigint)', [la.key]);
    await assert.rejects(lease.assertHeld(a), LockLostError);
    await lease.release();
  });

  test('forceRelease terminates nothing and says so', async () => {
    const a = await connect('godwit test');
    assert.equal(await (await locker(a)).forceRelease(a), false);
  });
});

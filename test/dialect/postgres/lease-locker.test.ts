/**
 * The generic lease lock (src/dialect/lease-locker.ts) on PostgreSQL: the lock row, takeover of an
 * expired lease with a new fencing token, the fencing check of the old holder, the heartbeat,
 * release of one's own row only, and concurrent first use of a missing lock table.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { LeaseLocker } from '../../../src/dialect/lease-locker.js';
import { postgresLeaseSpec } from '../../../src/dialect/postgres/postgres-flavor.js';
import { postgresDialect } from '../../../src/dialect/postgres/postgres-dialect.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import type { Target } from '../../../src/dialect/target.js';
import { LockLostError, TimeoutError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

interface LockRow {
  name: string;
  owner: string;
  holder_id: string;
  token: string;
  expires_at: string;
}

describe('lease locker on PostgreSQL', await skipUnless('postgres'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(): Promise<Connection> {
    const c = await postgresDialect.connect({ url: parseDatabaseUrl(db.url), applicationName: 'godwit lease test', attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  async function target(conn: Connection, table: string): Promise<Target> {
    return postgresDialect.resolveTarget(conn, parseDatabaseUrl(db.url), table);
  }
  async function rows(table: string): Promise<LockRow[]> {
    return db.sql<LockRow>(`SELECT name, owner, holder_id, token::text AS token, expires_at::text AS expires_at FROM ${table}_lock`);
  }
  /** Make the current lease look expired, as if its holder had been frozen past the TTL. */
  async function expire(table: string): Promise<void> {
    await db.sql(`UPDATE ${table}_lock SET expires_at = expires_at - 3600000`);
  }
  before(async () => {
    db = await createTestDb('postgres', 'gwpglease');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('acquire creates <table>_lock and one row: owner, fencing token 1, expiry about ttl ahead on the database clock', async () => {
    const a = await connect();
    const locker = new LeaseLocker(postgresLeaseSpec, await target(a, 'app_migrations'));
    assert.equal(locker.lockTableName, 'public.app_migrations_lock');
    const lease = await locker.acquire(a, { timeoutMs: 5000, owner: 'godwit 1.0.0 pod-a', leaseTtlMs: 60_000 });
    const [row] = await rows('app_migrations');
    assert.ok(row);
    assert.equal(row.name, 'public.app_migrations');
    assert.equal(row.owner, 'godwit 1.0.0 pod-a');
    assert.equal(row.token, '1');
    const [clock] = await db.sql<{ now: string }>("SELECT (floor(extract(epoch from clock_timestamp()) * 1000))::bigint::text AS now");
    const ahead = Number(row.expires_at) - Number(clock!.now);
    assert.ok(ahead > 50_000 && ahead <= 60_000, `expires ${ahead} ms ahead`);
    const h = await locker.holder(a);
    assert.equal(h?.who, 'godwit 1.0.0 pod-a');
    assert.ok(h?.expiresAt instanceof Date);
    await lease.release();
    assert.deepEqual(await rows('app_migrations'), []);
  });

  test('an expired lease is taken over with the next fencing token; the old holder\'s assertHeld throws LockLostError and its release leaves the new row alone', async () => {
    const a = await connect();
    const b = await connect();
    const la = new LeaseLocker(postgresLeaseSpec, await target(a, 'godwit_migrations'));
    const lb = new LeaseLocker(postgresLeaseSpec, await target(b, 'godwit_migrations'));
    const old = await la.acquire(a, { timeoutMs: 5000, owner: 'frozen-a', leaseTtlMs: 60_000 });
    await assert.rejects(lb.acquire(b, { timeoutMs: 200, pollMs: 20, owner: 'b' }), TimeoutError);
    await expire('godwit_migrations');
    assert.equal(await lb.holder(b), undefined, 'an expired lease is free');
    const taken = await lb.acquire(b, { timeoutMs: 5000, pollMs: 20, owner: 'taker-b', leaseTtlMs: 60_000 });
    const [row] = await rows('godwit_migrations');
    assert.equal(row?.owner, 'taker-b');
    assert.equal(row?.token, '2');
    await assert.rejects(old.assertHeld(a), (e: unknown) => {
      assert.ok(e instanceof LockLostError);
      assert.equal(e.code, 'LOCK_LOST');
      assert.match(e.message, /taken over by taker-b \(fencing token 2\)/);
      return true;
    });
    await old.release();
    assert.equal((await rows('godwit_migrations'))[0]?.owner, 'taker-b', 'the old holder deletes nothing of the new one');
    await taken.assertHeld(b);
    await taken.release();
    assert.deepEqual(await rows('godwit_migrations'), []);
  });

  test('assertHeld inside a transaction keeps the row locked until commit: an expired lease is not taken over in between', async () => {
    const a = await connect();
    const b = await connect();
    const la = new LeaseLocker(postgresLeaseSpec, await target(a, 'tx_migrations'));
    const lb = new LeaseLocker(postgresLeaseSpec, await target(b, 'tx_migrations'));
    const lease = await la.acquire(a, { timeoutMs: 5000, owner: 'a', leaseTtlMs: 60_000 });
    await expire('tx_migrations');
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    let inTx!: () => void;
    const entered = new Promise<void>((r) => (inTx = r));
    const tx = a.inTransaction(async () => {
      await lease.assertHeld(a);
      inTx();
      await gate;
    });
    await entered;
    // b sees the committed, expired row and tries to take it over: its UPDATE waits for a's row lock.
    const attempt = lb.acquire(b, { timeoutMs: 500, pollMs: 20, owner: 'b' }).then(
      (l) => l,
      (e: unknown) => e,
    );
    await waitFor(async () => {
      const r = await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND wait_event_type = 'Lock'", [Number(b.sessionId)]);
      return r[0]?.n === 1;
    });
    open();
    await tx;
    assert.ok((await attempt) instanceof TimeoutError, 'the takeover found the lease renewed by the committed assertHeld');
    const [row] = await rows('tx_migrations');
    assert.equal(row?.owner, 'a');
    assert.equal(row?.token, '1');
    await lease.assertHeld(a);
    await lease.release();
  });

  test('the heartbeat keeps a lease alive past its TTL while the holder is alive', async () => {
    const a = await connect();
    const b = await connect();
    const la = new LeaseLocker(postgresLeaseSpec, await target(a, 'hb_migrations'));
    const lb = new LeaseLocker(postgresLeaseSpec, await target(b, 'hb_migrations'));
    const lease = await la.acquire(a, { timeoutMs: 5000, owner: 'a', leaseTtlMs: 1500 });
    // Without renewals the lease would expire after 1.5 s; the waiter tries for 4 s.
    await assert.rejects(lb.acquire(b, { timeoutMs: 4000, pollMs: 50, owner: 'b' }), TimeoutError);
    await lease.assertHeld(a);
    await lease.release();
  });

  test('without a heartbeat the lease expires and is taken over after its TTL', async () => {
    const a = await connect();
    const b = await connect();
    // A connection without fork(): no heartbeat session, so only assertHeld renews.
    const noFork: Connection = {
      exec: (s, o) => a.exec(s, o),
      query: (s, p, o) => a.query(s, p, o),
      inTransaction: (fn) => a.inTransaction(fn),
      cancel: () => a.cancel(),
      close: () => a.close(),
      get closed() {
        return a.closed;
      },
      sessionId: a.sessionId,
    };
    const la = new LeaseLocker(postgresLeaseSpec, await target(a, 'nohb_migrations'));
    const lb = new LeaseLocker(postgresLeaseSpec, await target(b, 'nohb_migrations'));
    const lease = await la.acquire(noFork, { timeoutMs: 5000, owner: 'a', leaseTtlMs: 300 });
    const got = await lb.acquire(b, { timeoutMs: 10_000, pollMs: 50, owner: 'b' });
    await assert.rejects(lease.assertHeld(noFork), LockLostError);
    await got.release();
    await lease.release();
  });

  test('several sessions racing on a missing lock table: exactly one holds the lease at a time', async () => {
    const sessions = await Promise.all([1, 2, 3, 4, 5].map(() => connect()));
    const t = await target(sessions[0]!, 'race_migrations');
    let inside = 0;
    let maxInside = 0;
    await Promise.all(
      sessions.map(async (c, i) => {
        const lease = await new LeaseLocker(postgresLeaseSpec, t).acquire(c, { timeoutMs: 20_000, pollMs: 10, owner: `p${i}` });
        inside++;
        maxInside = Math.max(maxInside, inside);
        await lease.assertHeld(c);
        await new Promise((r) => setTimeout(r, 30));
        inside--;
        await lease.release();
      }),
    );
    assert.equal(maxInside, 1);
    assert.deepEqual(await rows('race_migrations'), []);
  });

  test('20 sessions creating the same missing lock table at the same instant all succeed (every "already exists" error of the race is tolerated)', async () => {
    const sessions = await Promise.all(Array.from({ length: 20 }, () => connect()));
    for (let round = 0; round < 5; round++) {
      const t = await target(sessions[0]!, `burst${round}_migrations`);
      const results = await Promise.allSettled(sessions.map((c) => new LeaseLocker(postgresLeaseSpec, t).ensureTable(c)));
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      assert.deepEqual(failed.map((r) => String(r.reason)), [], `round ${round}`);
    }
  });

  test('forceRelease deletes the row of a holder that is gone; holder() and forceRelease on a missing table', async () => {
    const a = await connect();
    const fresh = new LeaseLocker(postgresLeaseSpec, await target(a, 'never_migrations'));
    assert.equal(await fresh.holder(a), undefined);
    assert.equal(await fresh.forceRelease(a), false);
    const locker = new LeaseLocker(postgresLeaseSpec, await target(a, 'gone_migrations'));
    const lease = await locker.acquire(a, { timeoutMs: 5000, owner: 'gone' });
    assert.equal(await locker.forceRelease(a), true);
    assert.deepEqual(await rows('gone_migrations'), []);
    await assert.rejects(lease.assertHeld(a), (e: unknown) => e instanceof LockLostError && /released by someone else/.test(e.message));
    await lease.release();
  });

  test('the dialect creates a lease locker for mode "lease" in the target schema', async () => {
    const a = await connect();
    await a.exec('CREATE SCHEMA app');
    const locker = postgresDialect.createLocker(await target(a, 'app.godwit_migrations'), 'lease');
    assert.equal(locker.mode, 'lease');
    const lease = await locker.acquire(a, { timeoutMs: 5000, owner: 'x' });
    assert.equal(lease.mode, 'lease');
    assert.equal((await db.sql<{ n: number }>('SELECT count(*)::int AS n FROM app.godwit_migrations_lock'))[0]?.n, 1);
    await lease.release();
  });
});

async function waitFor(cond: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

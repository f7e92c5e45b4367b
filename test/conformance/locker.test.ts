/**
 * Locker conformance (src/dialect/locker.ts), after goose's lock/locktesting: every dialect's
 * lockers exclude each other across sessions, time out and abort with the right codes, report the
 * holder, release idempotently, and key the lock on the target so separate history tables (or the
 * same table in separate databases) never block each other.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LockMode } from '../../src/dialect/locker.js';
import { createTestDb, dialect, dialectsUnderTest, Sessions, TEST_TIMEOUT, type TestDb } from './conformance-kit.js';

const MODES: readonly LockMode[] = ['session', 'lease'];
const SHORT = { timeoutMs: 300, pollMs: 25 } as const;
const LONG = { timeoutMs: 10_000, pollMs: 25 } as const;

for (const { kind, options } of await dialectsUnderTest()) {
  for (const mode of MODES) {
    describe(`Locker conformance: ${kind}, ${mode} lock`, options, () => {
      let db: TestDb;
      let s: Sessions;
      before(async () => {
        db = await createTestDb(kind, 'gwlock');
        s = new Sessions(kind, db);
      });
      after(async () => {
        await s?.closeAll();
        await db?.drop();
      });

      /** Two sessions and a fresh locker for each (as two processes would have). */
      async function pair(table = 'godwit_migrations') {
        const d = await dialect(kind);
        const a = await s.connect();
        const b = await s.connect();
        const la = d.createLocker(await s.target(a, table), mode);
        const lb = d.createLocker(await s.target(b, table), mode);
        assert.equal(la.mode, mode);
        return { d, a, b, la, lb };
      }

      test('a second acquirer times out with TIMEOUT while the first holds; holder() names the holder; release frees it', TEST_TIMEOUT, async () => {
        const { a, b, la, lb } = await pair();
        const lease = await la.acquire(a, { ...LONG, owner: 'godwit conformance holder-a' });
        assert.equal(lease.mode, mode);
        await lease.assertHeld(a);
        await assert.rejects(lb.acquire(b, { ...SHORT, owner: 'godwit conformance waiter-b' }), (e: unknown) => {
          assert.equal((e as { code?: string }).code, 'TIMEOUT', String(e));
          return true;
        });
        // The waiter's session is still usable after giving up.
        assert.deepEqual(await b.query('SELECT 1 AS one'), [{ one: 1 }]);
        const h = await lb.holder(b);
        assert.ok(h, 'holder() reports the holder while the lock is held');
        assert.equal(typeof h.who, 'string');
        assert.ok(h.who.length > 0);
        await lease.release();
        assert.equal(await lb.holder(b), undefined, 'holder() is undefined once released');
        const second = await lb.acquire(b, { ...LONG, owner: 'godwit conformance waiter-b' });
        await second.assertHeld(b);
        await second.release();
      });

      test('a waiter gets the lock as soon as the holder releases it', TEST_TIMEOUT, async () => {
        const { a, b, la, lb } = await pair();
        const lease = await la.acquire(a, { ...LONG, owner: 'a' });
        const waiting = lb.acquire(b, { ...LONG, owner: 'b' });
        await new Promise((r) => setTimeout(r, 200));
        await lease.release();
        const got = await waiting;
        await got.release();
      });

      test('release is idempotent, and the lock can be taken again on the same session', TEST_TIMEOUT, async () => {
        const { a, b, la, lb } = await pair();
        const first = await la.acquire(a, { ...LONG, owner: 'a' });
        await first.release();
        await first.release();
        const again = await la.acquire(a, { ...LONG, owner: 'a' });
        await again.release();
        await again.release();
        // Nothing leaked (e.g. a stacked advisory lock): another session gets it at once.
        const other = await lb.acquire(b, { ...SHORT, owner: 'b' });
        await other.release();
      });

      test('different history tables in one database do not block each other', TEST_TIMEOUT, async () => {
        const { a, b, la } = await pair('app_one_migrations');
        const lb = (await dialect(kind)).createLocker(await s.target(b, 'app_two_migrations'), mode);
        const one = await la.acquire(a, { ...LONG, owner: 'one' });
        const two = await lb.acquire(b, { ...SHORT, owner: 'two' });
        assert.ok(await la.holder(a));
        assert.ok(await lb.holder(b));
        await one.release();
        await two.release();
      });

      test('the same history table in two databases does not block', TEST_TIMEOUT, async () => {
        const other = await createTestDb(kind, 'gwlock2');
        const s2 = new Sessions(kind, other);
        try {
          const d = await dialect(kind);
          const a = await s.connect();
          const b = await s2.connect();
          const one = await d.createLocker(await s.target(a), mode).acquire(a, { ...LONG, owner: 'one' });
          const two = await d.createLocker(await s2.target(b), mode).acquire(b, { ...SHORT, owner: 'two' });
          await one.release();
          await two.release();
        } finally {
          await s2.closeAll();
          await other.drop();
        }
      });

      test('acquiring with an already-aborted signal throws INTERRUPTED and takes nothing', TEST_TIMEOUT, async () => {
        const { a, b, la, lb } = await pair();
        const ac = new AbortController();
        ac.abort('SIGTERM');
        await assert.rejects(la.acquire(a, { ...LONG, owner: 'a', signal: ac.signal }), (e: unknown) => {
          assert.equal((e as { code?: string }).code, 'INTERRUPTED', String(e));
          return true;
        });
        assert.equal(await lb.holder(b), undefined);
        const l = await lb.acquire(b, { ...SHORT, owner: 'b' });
        await l.release();
      });

      test('aborting while waiting throws INTERRUPTED', TEST_TIMEOUT, async () => {
        const { a, b, la, lb } = await pair();
        const lease = await la.acquire(a, { ...LONG, owner: 'a' });
        const ac = new AbortController();
        const waiting = lb.acquire(b, { ...LONG, owner: 'b', signal: ac.signal });
        setTimeout(() => ac.abort('SIGINT'), 150);
        await assert.rejects(waiting, (e: unknown) => {
          assert.equal((e as { code?: string }).code, 'INTERRUPTED', String(e));
          return true;
        });
        await lease.release();
      });

      test('onWait reports the holder while waiting', TEST_TIMEOUT, async () => {
        const { a, b, la, lb } = await pair();
        const lease = await la.acquire(a, { ...LONG, owner: 'godwit conformance reporter-a' });
        const seen: Array<string | undefined> = [];
        await assert.rejects(
          lb.acquire(b, { timeoutMs: 600, pollMs: 20, reportEveryMs: 100, owner: 'b', onWait: (h) => seen.push(h?.who) }),
          { code: 'TIMEOUT' },
        );
        assert.ok(seen.length > 0, 'onWait was called');
        assert.ok(seen.some((w) => typeof w === 'string' && w.length > 0), `a holder was named: ${JSON.stringify(seen)}`);
        await lease.release();
      });

      if (mode === 'session') {
        test('closing the holder\'s session frees the lock', TEST_TIMEOUT, async () => {
          const { a, b, la, lb } = await pair();
          await la.acquire(a, { ...LONG, owner: 'a' });
          await a.close();
          const l = await lb.acquire(b, { ...LONG, owner: 'b' });
          await l.release();
        });
      }

      if (mode === 'lease') {
        test('forceRelease frees a lease held by someone else', TEST_TIMEOUT, async () => {
          const { a, b, la, lb } = await pair();
          const lease = await la.acquire(a, { ...LONG, owner: 'gone' });
          assert.equal(await lb.forceRelease(b), true);
          assert.equal(await lb.holder(b), undefined);
          await assert.rejects(lease.assertHeld(a), { code: 'LOCK_LOST' });
          const mine = await lb.acquire(b, { ...SHORT, owner: 'b' });
          await mine.release();
          await lease.release();
        });
      }
    });
  }
}

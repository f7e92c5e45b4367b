/**
 * HistoryStore conformance (src/dialect/history-store.ts): what every dialect's store must keep
 * exactly, since integrity checks and resumes are decided from it.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { HistoryEvent, HistoryRow } from '../../src/dialect/history-store.js';
import { createTestDb, dialect, dialectsUnderTest, Sessions, tableExists, TEST_TIMEOUT, type TestDb } from './conformance-kit.js';

const ROW: HistoryRow = Object.freeze({
  version: 20250101120000,
  name: 'create_users',
  checksum: 'a'.repeat(64),
  phase: 'post',
  status: 'running',
  statementsApplied: 2,
  statementsTotal: 5,
  appliedAt: new Date('2025-03-04T05:06:07.891Z'),
  durationMs: 1234,
  appliedBy: 'web-7f9c4d-abcde',
  godwitVersion: '0.1.0',
  lastError: null,
});

function row(version: number, patch: Partial<HistoryRow> = {}): HistoryRow {
  return { ...ROW, version, ...patch };
}

for (const { kind, options } of await dialectsUnderTest()) {
  describe(`HistoryStore conformance: ${kind}`, options, () => {
    let db: TestDb;
    let s: Sessions;
    before(async () => {
      db = await createTestDb(kind, 'gwhist');
      s = new Sessions(kind, db);
    });
    after(async () => {
      await s?.closeAll();
      await db?.drop();
    });

    /** A store on its own history table, so tests do not see each other's rows. */
    async function store(table: string) {
      const conn = await s.connect();
      const st = (await dialect(kind)).createHistoryStore(await s.target(conn, table));
      return { conn, st };
    }

    test('names: the events table follows the history table (qualified by the resolved schema, if any)', TEST_TIMEOUT, async () => {
      const { st } = await store('godwit_migrations');
      const m = /^((?:[^.]+\.)?)godwit_migrations$/.exec(st.tableName);
      assert.ok(m, `tableName ${st.tableName}`);
      assert.equal(st.eventsTableName, `${m[1]}godwit_events`);
      const other = await store('app_history');
      assert.equal(other.st.eventsTableName, `${m[1]}app_history_events`);
    });

    test('list and listEvents on missing tables return [] and create nothing', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('missing_migrations');
      assert.deepEqual(await st.list(conn), []);
      assert.deepEqual(await st.listEvents(conn), []);
      assert.equal(await tableExists(db, 'missing_migrations'), false);
      assert.equal(await tableExists(db, 'missing_events'), false);
      // the session is still fine afterwards
      assert.deepEqual(await conn.query('SELECT 1 AS one'), [{ one: 1 }]);
    });

    test('ensure creates both tables and is idempotent', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('ensure_migrations');
      await st.ensure(conn);
      await st.ensure(conn);
      assert.equal(await tableExists(db, 'ensure_migrations'), true);
      assert.equal(await tableExists(db, 'ensure_events'), true);
      assert.deepEqual(await st.list(conn), []);
      assert.deepEqual(await st.listEvents(conn), []);
      const again = await store('ensure_migrations');
      await again.st.ensure(again.conn);
    });

    test('insert/list round-trips every field (appliedAt to the millisecond, null lastError), ordered by version numerically', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('rt_migrations');
      await st.ensure(conn);
      const big = row(20250101120000);
      const ten = row(10, { name: 'ten', phase: 'pre', status: 'applied', statementsApplied: 5, lastError: 'boom: naïve ✓ "quoted" \'single\'\nsecond line', appliedAt: new Date('1999-12-31T23:59:59.001Z') });
      const nine = row(9, { name: 'nine', status: 'failed', statementsApplied: 0, statementsTotal: 0, durationMs: 0, appliedAt: new Date('2024-02-29T12:00:00.000Z') });
      await st.insert(conn, big);
      await st.insert(conn, ten);
      await st.insert(conn, nine);
      const got = await st.list(conn);
      assert.deepEqual(got, [nine, ten, big]);
      assert.ok(got.every((r) => r.appliedAt instanceof Date && typeof r.version === 'number'));
      // Another session sees the same.
      const other = await store('rt_migrations');
      assert.deepEqual(await other.st.list(other.conn), [nine, ten, big]);
    });

    test('appliedAt is the same instant for a reader in another time zone', TEST_TIMEOUT, async () => {
      const saved = process.env.TZ;
      try {
        process.env.TZ = 'America/New_York';
        const w = await store('tz_migrations');
        await w.st.ensure(w.conn);
        await w.st.insert(w.conn, row(1, { appliedAt: new Date('2025-07-01T22:30:00.123Z') }));
        await w.st.appendEvent(w.conn, { version: 1, name: 'x', action: 'up', appliedBy: 'ny', godwitVersion: '0.1.0', detail: null, at: new Date('2025-07-01T22:30:00.456Z') });
        process.env.TZ = 'Asia/Tokyo';
        const r = await store('tz_migrations');
        assert.equal((await r.st.list(r.conn))[0]?.appliedAt.toISOString(), '2025-07-01T22:30:00.123Z');
        assert.equal((await r.st.listEvents(r.conn))[0]?.at?.toISOString(), '2025-07-01T22:30:00.456Z');
      } finally {
        if (saved === undefined) delete process.env.TZ;
        else process.env.TZ = saved;
      }
    });

    test('inserting an existing version fails', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('dup_migrations');
      await st.ensure(conn);
      await st.insert(conn, row(1));
      await assert.rejects(st.insert(conn, row(1, { name: 'again' })));
      assert.equal((await st.list(conn)).length, 1);
    });

    test('update changes only the patched fields of that version', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('upd_migrations');
      await st.ensure(conn);
      await st.insert(conn, row(1));
      await st.insert(conn, row(2));
      const at = new Date('2026-01-02T03:04:05.678Z');
      await st.update(conn, 1, { status: 'failed', statementsApplied: 3, lastError: 'syntax error at line 4', appliedAt: at, durationMs: 99 });
      let got = await st.list(conn);
      assert.deepEqual(got[0], row(1, { status: 'failed', statementsApplied: 3, lastError: 'syntax error at line 4', appliedAt: at, durationMs: 99 }));
      assert.deepEqual(got[1], row(2));
      await st.update(conn, 1, { status: 'applied', statementsApplied: 5, lastError: null, checksum: 'b'.repeat(64) });
      got = await st.list(conn);
      assert.deepEqual(got[0], row(1, { status: 'applied', statementsApplied: 5, lastError: null, checksum: 'b'.repeat(64), appliedAt: at, durationMs: 99 }));
      await st.update(conn, 1, {});
      assert.deepEqual((await st.list(conn))[0], got[0]);
    });

    test('remove deletes one version; removing a missing one is not an error', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('rm_migrations');
      await st.ensure(conn);
      await st.insert(conn, row(1));
      await st.insert(conn, row(2));
      await st.remove(conn, 1);
      await st.remove(conn, 12345);
      assert.deepEqual((await st.list(conn)).map((r) => r.version), [2]);
    });

    test('events append and list oldest first with every field', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('ev_migrations');
      await st.ensure(conn);
      const at = new Date('2025-05-05T05:05:05.555Z');
      const events: HistoryEvent[] = [
        { version: 3, name: 'c', action: 'up', appliedBy: 'pod-1', godwitVersion: '0.1.0', detail: null, at },
        { version: 1, name: 'a', action: 'down', appliedBy: 'pod-2', godwitVersion: '0.1.0', detail: 'reverted by hand', at },
        { version: 20250101120000, name: 'big', action: 'repair', appliedBy: 'pod-3', godwitVersion: '0.2.0', detail: '--accept-checksum', at },
        { version: 2, name: 'b', action: 'fail', appliedBy: 'pod-1', godwitVersion: '0.1.0', detail: 'line 3: boom', at },
      ];
      for (const e of events) await st.appendEvent(conn, e);
      const before = Date.now();
      await st.appendEvent(conn, { version: 4, name: 'd', action: 'baseline', appliedBy: 'pod-1', godwitVersion: '0.1.0', detail: null });
      const got = await st.listEvents(conn);
      assert.deepEqual(got.slice(0, 4), events);
      const last = got[4]!;
      assert.equal(last.action, 'baseline');
      assert.ok(last.at instanceof Date && !Number.isNaN(last.at.getTime()), 'a missing `at` is filled in');
      // filled from a clock: the database's or ours, allow generous skew, just not garbage
      assert.ok(Math.abs(last.at.getTime() - before) < 10 * 60_000, `at ${last.at.toISOString()} is now-ish`);
    });

    test('history writes inside a transaction roll back with it', TEST_TIMEOUT, async () => {
      const { conn, st } = await store('tx_migrations');
      await st.ensure(conn);
      await assert.rejects(
        conn.inTransaction(async () => {
          await st.insert(conn, row(1));
          await st.appendEvent(conn, { version: 1, name: 'x', action: 'up', appliedBy: 'p', godwitVersion: '0.1.0', detail: null });
          throw new Error('migration failed');
        }),
        /migration failed/,
      );
      assert.deepEqual(await st.list(conn), []);
      assert.deepEqual(await st.listEvents(conn), []);
    });
  });
}

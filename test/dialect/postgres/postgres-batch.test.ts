/**
 * One round trip per transactional migration on PostgreSQL (`Connection.execTransaction`, the
 * history store's queries, the advisory lease's guard): what it writes, that it rolls back as a
 * whole, that the guard refuses a session without the lock, and that a failing migration is still
 * reported with its file line (the runner re-runs it statement by statement).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inlineParams } from '../../../src/dialect/postgres/postgres-driver.js';
import { PostgresSessionLocker } from '../../../src/dialect/postgres/postgres-locker.js';
import { postgresDialect } from '../../../src/dialect/postgres/postgres-dialect.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import { createMigrator } from '../../../src/core/migrator.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

const quote = { escapeLiteral: (s: string) => `'${s.replace(/'/g, "''")}'` };

describe('inlineParams', () => {
  test('replaces $n outside quotes with literals of each supported type', () => {
    const sql = inlineParams(
      { sql: `INSERT INTO "t$1" (a, b, c, d, e, f) VALUES ($1, $2, $3, $4, $5, $6) RETURNING '$1'`, params: [7, "it's", null, true, new Date('2026-01-02T03:04:05.006Z'), 12n] },
      quote,
    );
    assert.equal(sql, `INSERT INTO "t$1" (a, b, c, d, e, f) VALUES (7, 'it''s', NULL, TRUE, '2026-01-02T03:04:05.006Z'::timestamptz, 12) RETURNING '$1'`);
  });

  test('refuses a placeholder without a parameter and values it cannot write', () => {
    assert.throws(() => inlineParams({ sql: 'SELECT $2', params: [1] }, quote), /no parameter/);
    assert.throws(() => inlineParams({ sql: 'SELECT $1', params: [{}] }, quote), /Cannot inline/);
    assert.throws(() => inlineParams({ sql: 'SELECT $1', params: [Number.NaN] }, quote), /Cannot inline/);
  });
});

describe('PostgreSQL batched migrations', await skipUnless('postgres'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  let dir: string;
  async function connect(): Promise<Connection> {
    const c = await postgresDialect.connect({ url: parseDatabaseUrl(db.url), applicationName: 'godwit test', attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  before(async () => {
    db = await createTestDb('postgres', 'gwpgbatch');
    dir = mkdtempSync(join(tmpdir(), 'godwit-batch-'));
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('execTransaction commits every query together, and rolls all back on an error', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE bt (v int NOT NULL)');
    await c.execTransaction!([{ sql: 'INSERT INTO bt VALUES (1)' }, { sql: 'INSERT INTO bt VALUES ($1) -- trailing comment', params: [2] }]);
    await assert.rejects(c.execTransaction!([{ sql: 'INSERT INTO bt VALUES (3)' }, { sql: 'INSERT INTO bt VALUES (NULL)' }]), /null value/);
    assert.deepEqual((await db.sql<{ v: number }>('SELECT v FROM bt ORDER BY v')).map((r) => r.v), [1, 2]);
    // The session is usable (not left in an aborted transaction) and not marked as in one.
    assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
    await c.inTransaction(async () => c.exec('INSERT INTO bt VALUES (4)'));
  });

  test('deferDurability turns synchronous_commit off for that transaction only; flushCommits works with and without deferred commits', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE dur (setting text NOT NULL)');
    await c.execTransaction!([{ sql: "INSERT INTO dur SELECT current_setting('synchronous_commit')" }], { deferDurability: true });
    await c.execTransaction!([{ sql: "INSERT INTO dur SELECT current_setting('synchronous_commit')" }]);
    assert.deepEqual((await db.sql<{ setting: string }>('SELECT setting FROM dur')).map((r) => r.setting).sort(), ['off', 'on']);
    assert.deepEqual(await c.query<{ s: string }>("SELECT current_setting('synchronous_commit') AS s"), [{ s: 'on' }], 'SET LOCAL ended with its transaction');
    await c.flushCommits!(); // one synchronous commit covering the deferred one
    await c.flushCommits!(); // nothing deferred since
    assert.deepEqual(await c.query<{ n: string }>('SELECT count(*)::text AS n FROM dur'), [{ n: '2' }]);
  });

  test('the advisory lease guard passes on the holding session and fails once another session holds the lock', async () => {
    const c = await connect();
    const locker = new PostgresSessionLocker(await postgresDialect.resolveTarget(c, parseDatabaseUrl(db.url), 'guard_migrations'));
    const lease = await locker.acquire(c, { timeoutMs: 5000, owner: 'test' });
    const guard = lease.heldGuard!(c);
    assert.ok(guard);
    await c.exec('CREATE TABLE guarded (v int)');
    await c.execTransaction!([{ sql: 'INSERT INTO guarded VALUES (1)' }, guard]);
    const other = await connect();
    assert.equal(lease.heldGuard!(other), undefined, 'only on the holding session');
    const otherTakes = async () => (await other.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS ok', [locker.key]))[0]!.ok;
    assert.equal(await otherTakes(), false, 'the session lock is still held after the guarded transaction');
    // The lock gone from the holding session and taken by another one (what a transaction-mode
    // pooler or a takeover looks like): the guard fails and the transaction rolls back.
    await c.exec('SELECT pg_advisory_unlock_all()');
    assert.equal(await otherTakes(), true);
    await assert.rejects(c.execTransaction!([{ sql: 'INSERT INTO guarded VALUES (2)' }, guard]), /another session holds the migration lock/);
    assert.deepEqual((await db.sql<{ v: number }>('SELECT v FROM guarded ORDER BY v')).map((r) => r.v), [1], 'rolled back');
    await other.query('SELECT pg_advisory_unlock_all()');
    // Nobody holds it: the guard takes it for its transaction only, so no one can take it before
    // that COMMIT, and it is free again after.
    await c.execTransaction!([{ sql: 'INSERT INTO guarded VALUES (3)' }, guard]);
    assert.equal(await otherTakes(), true, 'the transaction-level lock ended with its transaction');
    await other.close();
    await lease.release();
    assert.equal(lease.heldGuard!(c), undefined);
  });

  test('up writes the same history and events as before, and a failing migration names its file line', async () => {
    writeFileSync(join(dir, '0001_a.sql'), '-- godwit:up\nCREATE TABLE a (id int);\nINSERT INTO a VALUES (1);\n-- godwit:down\nDROP TABLE a;\n');
    writeFileSync(join(dir, '0002_b.sql'), "-- godwit:up\nCREATE TABLE b (s text);\nINSERT INTO b VALUES ('it''s \\ ok');\n");
    const m = createMigrator({ database: db.url, dir, appliedBy: 'tester' });
    assert.deepEqual((await m.up()).versions, [1, 2]);
    const rows = await db.sql<Record<string, unknown>>('SELECT version, name, status, statements_applied, statements_total, duration_ms, applied_by, last_error FROM godwit_migrations ORDER BY version');
    assert.equal(rows.length, 2);
    for (const r of rows) {
      assert.equal(r.status, 'applied');
      assert.equal(r.statements_applied, 2);
      assert.equal(r.statements_total, 2);
      assert.equal(r.applied_by, 'tester');
      assert.equal(r.last_error, null);
      assert.ok(Number(r.duration_ms) >= 0);
    }
    assert.deepEqual(await db.sql('SELECT s FROM b'), [{ s: "it's \\ ok" }]);
    assert.deepEqual((await db.sql<{ action: string }>('SELECT action FROM godwit_events ORDER BY id')).map((e) => e.action), ['up', 'up']);

    writeFileSync(join(dir, '0003_c.sql'), '-- godwit:up\nCREATE TABLE c (id int);\n\nINSERT INTO c VALUES (1 / 0);\n');
    await assert.rejects(createMigrator({ database: db.url, dir }).up(), (e: unknown) => {
      assert.match((e as Error).message, /0003_c\.sql:4: migration 3 failed: division by zero/);
      assert.match((e as Error).message, /rolled back/);
      return true;
    });
    assert.deepEqual(await db.sql("SELECT to_regclass('c') AS t"), [{ t: null }]);
    assert.deepEqual(await db.sql('SELECT version FROM godwit_migrations WHERE version = 3'), []);
  });
});

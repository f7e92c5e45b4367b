/**
 * The PostgreSQL dialect object against the local server: target resolution, the history store
 * with postgresFlavor, DDL lock timeouts, statements that must run outside a transaction, the
 * probe of interrupted statements, and pooler detection on a direct connection.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../../../src/dialect/postgres/postgres-dialect.js';
import { parseQualifiedName } from '../../../src/dialect/postgres/postgres-target.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import type { HistoryRow } from '../../../src/dialect/history-store.js';
import { ConfigError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

describe('parseQualifiedName', () => {
  test('unquoted names fold to lower case; quoted ones keep case, dots and doubled quotes', () => {
    assert.deepEqual(parseQualifiedName('godwit_migrations'), ['godwit_migrations']);
    assert.deepEqual(parseQualifiedName('App.Godwit_Migrations'), ['app', 'godwit_migrations']);
    assert.deepEqual(parseQualifiedName('"My Schema"."A.b""c"'), ['My Schema', 'A.b"c']);
  });
  test('bad names are ConfigErrors', () => {
    for (const bad of ['', 'a.b.c', 'a.', '.a', '"unterminated', 'a b', '1abc', '""', 'x'.repeat(64)]) {
      assert.throws(() => parseQualifiedName(bad), ConfigError, bad);
    }
  });
});

describe('PostgreSQL dialect', await skipUnless('postgres'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(): Promise<Connection> {
    const c = await postgresDialect.connect({ url: parseDatabaseUrl(db.url), applicationName: 'godwit dialect test', attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  before(async () => {
    db = await createTestDb('postgres', 'gwpgdia');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('capabilities', () => {
    assert.deepEqual({ ...postgresDialect.capabilities }, {
      transactionalDdl: true,
      advisoryLocks: true,
      concurrentIndex: true,
      cancelStatement: true,
      ddlLockTimeout: true,
      schemas: true,
    });
    assert.equal(postgresDialect.name, 'postgres');
  });

  test('resolveTarget: current_database(), current_schema() by default, or the given schema', async () => {
    const c = await connect();
    const url = parseDatabaseUrl(db.url);
    assert.deepEqual(await postgresDialect.resolveTarget(c, url, 'godwit_migrations'), { database: db.name, schema: 'public', table: 'godwit_migrations' });
    assert.deepEqual(await postgresDialect.resolveTarget(c, url, 'Ops.History'), { database: db.name, schema: 'ops', table: 'history' });
    await c.exec('CREATE SCHEMA tenant; SET search_path = tenant, public');
    assert.equal((await postgresDialect.resolveTarget(c, url, 'godwit_migrations')).schema, 'tenant');
    await c.exec('SET search_path = no_such_schema');
    await assert.rejects(postgresDialect.resolveTarget(c, url, 'godwit_migrations'), ConfigError);
    await c.exec('RESET search_path');
  });

  test('history store: ensure twice, insert/list/update/remove, events; tables qualified by the schema', async () => {
    const c = await connect();
    await c.exec('CREATE SCHEMA hist');
    const store = postgresDialect.createHistoryStore(await postgresDialect.resolveTarget(c, parseDatabaseUrl(db.url), 'hist.godwit_migrations'));
    assert.equal(store.tableName, 'hist.godwit_migrations');
    assert.equal(store.eventsTableName, 'hist.godwit_events');
    assert.deepEqual(await store.list(c), []);
    assert.deepEqual(await store.listEvents(c), []);
    await store.ensure(c);
    await store.ensure(c);
    const appliedAt = new Date('2025-01-02T03:04:05.678Z');
    const row: HistoryRow = {
      version: 20250101120000,
      name: 'create_users',
      checksum: 'a'.repeat(64),
      phase: 'pre',
      status: 'running',
      statementsApplied: 1,
      statementsTotal: 3,
      appliedAt,
      durationMs: 12,
      appliedBy: 'pod-1',
      godwitVersion: '0.1.0',
      lastError: null,
    };
    await store.insert(c, row);
    await store.insert(c, { ...row, version: 2, name: 'two', status: 'applied' });
    let list = await store.list(c);
    assert.deepEqual(list.map((r) => r.version), [2, 20250101120000]);
    assert.deepEqual(list[1], row);
    await store.update(c, 20250101120000, { status: 'failed', statementsApplied: 2, lastError: 'boom' });
    list = await store.list(c);
    assert.equal(list[1]?.status, 'failed');
    assert.equal(list[1]?.statementsApplied, 2);
    assert.equal(list[1]?.lastError, 'boom');
    assert.equal(list[1]?.name, 'create_users');
    await store.remove(c, 2);
    assert.deepEqual((await store.list(c)).map((r) => r.version), [20250101120000]);
    await store.appendEvent(c, { version: 2, name: 'two', action: 'up', appliedBy: 'pod-1', godwitVersion: '0.1.0', detail: null });
    await store.appendEvent(c, { version: 2, name: 'two', action: 'down', appliedBy: 'pod-2', godwitVersion: '0.1.0', detail: 'why' });
    const ev = await store.listEvents(c);
    assert.deepEqual(ev.map((e) => [e.action, e.appliedBy, e.detail]), [
      ['up', 'pod-1', null],
      ['down', 'pod-2', 'why'],
    ]);
    assert.ok(ev[0]?.at instanceof Date && !Number.isNaN(ev[0].at.getTime()));
    const types = await db.sql<{ column_name: string; data_type: string }>(
      "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'hist' AND table_name = 'godwit_migrations' AND column_name IN ('version', 'applied_at')",
    );
    assert.deepEqual(Object.fromEntries(types.map((t) => [t.column_name, t.data_type])), { version: 'bigint', applied_at: 'timestamp with time zone' });
  });

  test('setLockTimeout makes a blocked DDL fail with 55P03, which isLockTimeout recognises; 0 turns it off', async () => {
    const holder = await connect();
    const c = await connect();
    await holder.exec('CREATE TABLE busy (id int)');
    let done!: () => void;
    const gate = new Promise<void>((r) => (done = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    const tx = holder.inTransaction(async () => {
      await holder.exec('LOCK TABLE busy IN ACCESS SHARE MODE');
      locked();
      await gate;
    });
    await isLocked;
    await postgresDialect.setLockTimeout(c, 100);
    assert.deepEqual(await c.query("SELECT current_setting('lock_timeout') AS v"), [{ v: '100ms' }]);
    const err = await c.exec('ALTER TABLE busy ADD COLUMN x int').then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(postgresDialect.isLockTimeout(err), String(err));
    assert.equal(postgresDialect.isLockTimeout(new Error('x', { cause: err })), true, 'also as a cause');
    assert.equal(postgresDialect.isLockTimeout(new Error('other')), false);
    // Inside a transaction the setting is transaction-local.
    await c.inTransaction(async () => {
      await postgresDialect.setLockTimeout(c, 250);
      assert.deepEqual(await c.query("SELECT current_setting('lock_timeout') AS v"), [{ v: '250ms' }]);
    });
    assert.deepEqual(await c.query("SELECT current_setting('lock_timeout') AS v"), [{ v: '100ms' }]);
    await postgresDialect.setLockTimeout(c, 0);
    assert.deepEqual(await c.query("SELECT current_setting('lock_timeout') AS v"), [{ v: '0' }]);
    done();
    await tx;
  });

  test('mustRunOutsideTransaction after the parser is loaded (splitStatements loads it)', async () => {
    await postgresDialect.splitStatements('SELECT 1');
    assert.equal(postgresDialect.mustRunOutsideTransaction('CREATE INDEX CONCURRENTLY i ON t (a)'), true);
    assert.equal(postgresDialect.mustRunOutsideTransaction('  -- c\nVACUUM t'), true);
    assert.equal(postgresDialect.mustRunOutsideTransaction("ALTER TYPE mood ADD VALUE 'meh'"), false);
    assert.equal(postgresDialect.mustRunOutsideTransaction('CREATE INDEX i ON t (a)'), false);
    assert.equal(postgresDialect.mustRunOutsideTransaction('SELECT 1; DROP INDEX CONCURRENTLY i'), true);
    assert.equal(postgresDialect.mustRunOutsideTransaction('this is not sql'), false);
  });

  test('splitStatements returns sql and lineOffset only', async () => {
    assert.deepEqual(await postgresDialect.splitStatements('\nSELECT 1;\nSELECT 2'), [
      { sql: 'SELECT 1', lineOffset: 1 },
      { sql: 'SELECT 2', lineOffset: 2 },
    ]);
  });

  test('probeInterrupted: CREATE INDEX CONCURRENTLY valid -> applied, invalid -> dropped and not-applied, missing -> not-applied', async () => {
    const c = await connect();
    await c.exec("CREATE TABLE people (id int, email text); INSERT INTO people VALUES (1, 'a'), (2, 'a'), (3, 'b')");
    const valid = 'CREATE INDEX CONCURRENTLY people_id_idx ON people (id)';
    assert.equal(await postgresDialect.probeInterrupted(c, valid), 'not-applied');
    await c.exec(valid);
    assert.equal(await postgresDialect.probeInterrupted(c, valid), 'applied');
    // A unique index over duplicates fails half-way and leaves an INVALID index, as a killed build does.
    const broken = 'CREATE UNIQUE INDEX CONCURRENTLY people_email_key ON public.people (email)';
    await assert.rejects(c.exec(broken));
    const before = await db.sql<{ valid: boolean }>("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'people_email_key'::regclass");
    assert.deepEqual(before, [{ valid: false }]);
    assert.equal(await postgresDialect.probeInterrupted(c, broken), 'not-applied');
    assert.deepEqual(await db.sql("SELECT to_regclass('people_email_key') AS r"), [{ r: null }], 'the invalid index was dropped');
    assert.equal(await postgresDialect.probeInterrupted(c, 'CREATE INDEX CONCURRENTLY ON people (email)'), 'unknown', 'unnamed');
  });

  test('probeInterrupted: DROP INDEX CONCURRENTLY, REINDEX, VACUUM, ANALYZE, ALTER TYPE ADD VALUE, and the rest', async () => {
    const c = await connect();
    await c.exec("CREATE TABLE things (id int); CREATE INDEX things_id ON things (id); CREATE TYPE mood AS ENUM ('ok')");
    assert.equal(await postgresDialect.probeInterrupted(c, 'DROP INDEX CONCURRENTLY things_id'), 'not-applied');
    await c.exec('DROP INDEX CONCURRENTLY things_id');
    assert.equal(await postgresDialect.probeInterrupted(c, 'DROP INDEX CONCURRENTLY things_id'), 'applied');
    assert.equal(await postgresDialect.probeInterrupted(c, 'REINDEX TABLE CONCURRENTLY things'), 'not-applied');
    assert.equal(await postgresDialect.probeInterrupted(c, 'VACUUM things'), 'not-applied');
    assert.equal(await postgresDialect.probeInterrupted(c, 'ANALYZE things'), 'not-applied');
    assert.equal(await postgresDialect.probeInterrupted(c, "ALTER TYPE mood ADD VALUE 'meh'"), 'not-applied');
    await c.exec("ALTER TYPE mood ADD VALUE 'meh'");
    assert.equal(await postgresDialect.probeInterrupted(c, "ALTER TYPE mood ADD VALUE 'meh'"), 'applied');
    assert.equal(await postgresDialect.probeInterrupted(c, 'INSERT INTO things VALUES (1)'), 'unknown');
    assert.equal(await postgresDialect.probeInterrupted(c, 'not sql at all'), 'unknown');
  });

  test('probeInterrupted drops the invalid _ccnew copy an interrupted REINDEX CONCURRENTLY leaves', async () => {
    const c = await connect();
    await c.exec("CREATE TABLE rx (v text); INSERT INTO rx VALUES ('a'), ('a'); CREATE INDEX rx_v ON rx (v)");
    // Reproduce the leftover: an INVALID index named like REINDEX CONCURRENTLY's copy (a failed unique build).
    await assert.rejects(c.exec('CREATE UNIQUE INDEX CONCURRENTLY rx_v_ccnew ON rx (v)'));
    assert.deepEqual(await db.sql("SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = 'rx_v_ccnew'::regclass"), [{ valid: false }]);
    assert.equal(await postgresDialect.probeInterrupted(c, 'REINDEX TABLE CONCURRENTLY rx'), 'not-applied');
    assert.deepEqual(await db.sql("SELECT to_regclass('rx_v_ccnew') AS r"), [{ r: null }]);
    assert.deepEqual(await db.sql("SELECT to_regclass('rx_v')::text AS r"), [{ r: 'rx_v' }], 'valid indexes are kept');
  });

  test('detectTransactionPooler: a direct connection is not a pooler', async () => {
    const c = await connect();
    assert.equal(await postgresDialect.detectTransactionPooler(c), undefined);
  });
});

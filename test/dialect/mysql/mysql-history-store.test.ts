/**
 * The shared SqlHistoryStore with mysqlFlavor on the local MariaDB: table layout, UTC DATETIMEs,
 * database qualification.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlDialect } from '../../../src/dialect/mysql/mysql-dialect.js';
import { mysqlTimestamp } from '../../../src/dialect/mysql/mysql-flavor.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import type { Connection } from '../../../src/dialect/driver.js';
import type { HistoryRow } from '../../../src/dialect/history-store.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

const ROW: HistoryRow = Object.freeze({
  version: 20250101120000,
  name: 'créer_les_utilisateurs_✓',
  checksum: 'c'.repeat(64),
  phase: 'pre',
  status: 'applied',
  statementsApplied: 3,
  statementsTotal: 3,
  appliedAt: new Date('2025-03-30T01:30:00.250Z'), // the night Europe switches to summer time
  durationMs: 42,
  appliedBy: 'api-5d8f-xyz',
  godwitVersion: '0.1.0',
  lastError: null,
});

test('mysqlTimestamp writes UTC with milliseconds', () => {
  assert.equal(mysqlTimestamp(new Date('2025-01-02T03:04:05.006Z')), '2025-01-02 03:04:05.006');
});

describe('MySQL history store', await skipUnless('mysql'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function store(table = 'godwit_migrations', url = db.url) {
    const conn = await mysqlDialect.connect({ url: parseDatabaseUrl(url), applicationName: 'godwit 0.0.0-test history', attemptTimeoutMs: 5000 });
    open.push(conn);
    const st = mysqlDialect.createHistoryStore(await mysqlDialect.resolveTarget(conn, parseDatabaseUrl(url), table));
    return { conn, st };
  }
  before(async () => {
    db = await createTestDb('mysql', 'gwmyhist');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('ensure (twice) creates InnoDB utf8mb4 tables with DATETIME(3) timestamps, qualified by the database, whatever the defaults', async () => {
    // Defaults that would make a poor history table: latin1 text, a non-transactional engine.
    await db.sql(`ALTER DATABASE \`${db.name}\` CHARACTER SET latin1 COLLATE latin1_swedish_ci`);
    const { conn, st } = await store();
    await conn.exec('SET SESSION default_storage_engine = MyISAM');
    assert.equal(st.tableName, `${db.name}.godwit_migrations`);
    assert.equal(st.eventsTableName, `${db.name}.godwit_events`);
    await st.ensure(conn);
    await st.ensure(conn);
    const tables = await db.sql<{ t: string; e: string; c: string }>(
      "SELECT TABLE_NAME AS t, ENGINE AS e, TABLE_COLLATION AS c FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('godwit_migrations', 'godwit_events') ORDER BY TABLE_NAME",
    );
    assert.deepEqual(tables.map((r) => [r.t, r.e, r.c.startsWith('utf8mb4')]), [
      ['godwit_events', 'InnoDB', true],
      ['godwit_migrations', 'InnoDB', true],
    ]);
    const [col] = await db.sql<{ t: string }>("SELECT COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'godwit_migrations' AND COLUMN_NAME = 'applied_at'");
    assert.equal(col?.t, 'datetime(3)');
  });

  test('insert/list/update/remove and events round-trip; DATETIME holds UTC whatever the session time zone', async () => {
    const { conn, st } = await store('rt_migrations');
    await st.ensure(conn);
    await conn.exec("SET time_zone = '+05:45'");
    await st.insert(conn, ROW);
    await st.insert(conn, { ...ROW, version: 7, name: 'seven', status: 'running', statementsApplied: 1 });
    const raw = await db.sql<{ s: string }>("SELECT DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s.%f') AS s FROM rt_migrations WHERE version = 20250101120000");
    assert.equal(raw[0]?.s, '2025-03-30 01:30:00.250000');
    assert.deepEqual(
      (await st.list(conn)).map((r) => [r.version, r.name, r.appliedAt.toISOString()]),
      [
        [7, 'seven', '2025-03-30T01:30:00.250Z'],
        [20250101120000, ROW.name, '2025-03-30T01:30:00.250Z'],
      ],
    );
    const error = "ERROR 1064 near 'x' at line 2 — naïve \\ \"quoted\" 😀";
    await st.update(conn, 7, { status: 'failed', lastError: error, appliedAt: new Date('2025-10-26T01:30:00.999Z') });
    const seven = (await st.list(conn))[0]!;
    assert.equal(seven.status, 'failed');
    assert.equal(seven.lastError, error);
    assert.equal(seven.appliedAt.toISOString(), '2025-10-26T01:30:00.999Z');
    await st.remove(conn, 7);
    assert.deepEqual((await st.list(conn)).map((r) => r.version), [20250101120000]);
    await st.appendEvent(conn, { version: 7, name: 'seven', action: 'partial', appliedBy: 'pod', godwitVersion: '0.1.0', detail: error, at: new Date('2025-01-01T00:00:00.001Z') });
    await st.appendEvent(conn, { version: 7, name: 'seven', action: 'repair', appliedBy: 'pod', godwitVersion: '0.1.0', detail: null });
    const events = await st.listEvents(conn);
    assert.deepEqual(
      events.map((e) => [e.action, e.detail]),
      [
        ['partial', error],
        ['repair', null],
      ],
    );
    assert.equal(events[0]!.at!.toISOString(), '2025-01-01T00:00:00.001Z');
    assert.ok(Math.abs(events[1]!.at!.getTime() - Date.now()) < 60_000);
  });

  test('a migration that runs USE other cannot redirect history writes', async () => {
    const other = await createTestDb('mysql', 'gwmyhist2');
    try {
      const { conn, st } = await store('use_migrations');
      await st.ensure(conn);
      await conn.exec(`USE \`${other.name}\``);
      await st.insert(conn, { ...ROW, version: 1 });
      assert.deepEqual(await db.sql('SELECT version FROM use_migrations'), [{ version: 1 }]);
      assert.deepEqual((await st.list(conn)).map((r) => r.version), [1]);
    } finally {
      await other.drop();
    }
  });

  test('--table otherdb.table keeps the history in the other database; a missing database is a ConfigError', async () => {
    const other = await createTestDb('mysql', 'gwmyhist3');
    try {
      const { conn, st } = await store(`${other.name}.app_migrations`);
      assert.equal(st.tableName, `${other.name}.app_migrations`);
      assert.equal(st.eventsTableName, `${other.name}.app_events`);
      await st.ensure(conn);
      await st.insert(conn, { ...ROW, version: 3 });
      assert.deepEqual(await other.sql('SELECT version FROM app_migrations'), [{ version: 3 }]);
      assert.deepEqual(await db.sql("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'app_migrations'"), []);
      await assert.rejects(store('gw_no_such_db_x.app_migrations'), { code: 'CONFIG', message: /gw_no_such_db_x/ });
    } finally {
      await other.drop();
    }
  });

  test('list and listEvents answer [] when the tables are missing', async () => {
    const { conn, st } = await store('absent_migrations');
    assert.deepEqual(await st.list(conn), []);
    assert.deepEqual(await st.listEvents(conn), []);
  });
});

/**
 * The PostgreSQL session (src/dialect/postgres/postgres-driver.ts) against the local server:
 * session settings, error mapping, cancel, connection loss.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { postgresDialect } from '../../../src/dialect/postgres/postgres-dialect.js';
import { PostgresConnection } from '../../../src/dialect/postgres/postgres-driver.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import { DatabaseError, type Connection } from '../../../src/dialect/driver.js';
import { ConfigError, ConnectionError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

const APP = 'godwit 0.0.0-test driver-host';

describe('PostgreSQL driver', await skipUnless('postgres'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(url = db.url): Promise<Connection> {
    const c = await postgresDialect.connect({ url: parseDatabaseUrl(url), applicationName: APP, attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  before(async () => {
    db = await createTestDb('postgres', 'gwpgdrv');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('the session is set up: application_name (over one in the URL), client_connection_check_interval, server keepalives; sessionId is the backend pid', async () => {
    const c = await connect(`${db.url}?application_name=from-url`);
    const [row] = await c.query<{ app: string; pid: number; check: string; idle: string; tz: string }>(
      "SELECT current_setting('application_name') AS app, pg_backend_pid() AS pid, current_setting('client_connection_check_interval') AS check, current_setting('tcp_keepalives_idle') AS idle",
    );
    assert.equal(row?.app, APP);
    assert.equal(String(row?.pid), c.sessionId);
    assert.equal(row?.check, '2s');
    assert.equal(row?.idle, '10');
    const seen = await db.sql<{ application_name: string }>('SELECT application_name FROM pg_stat_activity WHERE pid = $1', [Number(c.sessionId)]);
    assert.equal(seen[0]?.application_name, APP);
    assert.ok(c instanceof PostgresConnection);
    assert.equal(String(c.protocolPid), c.sessionId, 'a direct connection: the cancel key carries the backend pid');
  });

  test('query binds $n parameters and returns rows; exec runs several statements', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE drv_t (id int PRIMARY KEY, name text); INSERT INTO drv_t VALUES (1, $$a;b$$)');
    assert.deepEqual(await c.query('SELECT id, name FROM drv_t WHERE id = $1', [1]), [{ id: 1, name: 'a;b' }]);
    assert.deepEqual(await c.query('UPDATE drv_t SET name = $1 WHERE id = $2', ['x', 1]), []);
  });

  test('a statement error is a DatabaseError with SQLSTATE and a 1-based position in JS string units', async () => {
    const c = await connect();
    const sql = "SELECT '😀😀' AS x,\n  no_such_column";
    await assert.rejects(c.query(sql), (e: unknown) => {
      assert.ok(e instanceof DatabaseError, String(e));
      assert.equal(e.sqlState, '42703');
      assert.equal(e.code, 'MIGRATION_FAILED');
      assert.equal(e.position, sql.indexOf('no_such_column') + 1);
      assert.match(e.message, /no_such_column/);
      return true;
    });
    await assert.rejects(c.query('INSERT INTO nope VALUES (1)'), (e: unknown) => e instanceof DatabaseError && e.sqlState === '42P01');
    assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }], 'the session stays usable');
  });

  test('DETAIL and HINT are part of the message', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE drv_u (id int PRIMARY KEY)');
    await c.exec('INSERT INTO drv_u VALUES (1)');
    await assert.rejects(c.exec('INSERT INTO drv_u VALUES (1)'), (e: unknown) => {
      assert.ok(e instanceof DatabaseError);
      assert.equal(e.sqlState, '23505');
      assert.match(e.message, /DETAIL: Key \(id\)=\(1\) already exists/);
      return true;
    });
  });

  test('an unknown database is a ConfigError with the password masked', async () => {
    const url = db.url.replace('postgres://postgres@', 'postgres://postgres:s3cret-pw@').replace(/\/[^/]+$/, '/gw_no_such_database');
    await assert.rejects(connect(url), (e: unknown) => {
      assert.ok(e instanceof ConfigError, String(e));
      assert.equal(e.code, 'CONFIG');
      assert.match(e.message, /gw_no_such_database/);
      assert.match(e.message, /does not exist/);
      assert.doesNotMatch(e.message, /s3cret-pw/);
      assert.match(e.message, /\*\*\*/);
      return true;
    });
  });

  test('an unknown role is a ConfigError', async () => {
    const url = db.url.replace('postgres://postgres@', 'postgres://gw_no_such_role@');
    await assert.rejects(connect(url), (e: unknown) => e instanceof ConfigError && /gw_no_such_role/.test(e.message));
  });

  test('a closed port is a ConnectionError with the password masked', async () => {
    await assert.rejects(connect('postgres://u:s3cret-pw@127.0.0.1:1/x'), (e: unknown) => {
      assert.ok(e instanceof ConnectionError, String(e));
      assert.equal(e.code, 'CONNECTION');
      assert.match(e.message, /ECONNREFUSED/);
      assert.doesNotMatch(e.message, /s3cret-pw/);
      return true;
    });
  });

  test('an aborted signal cancels the running statement on the server; the session stays usable', async () => {
    const c = await connect();
    const ac = new AbortController();
    const running = c.query('SELECT pg_sleep(30)', [], { signal: ac.signal }).then(() => undefined, (e: unknown) => e);
    await waitUntilActive(c.sessionId, 'pg_sleep');
    ac.abort('SIGTERM');
    const e = await running;
    assert.ok(e instanceof DatabaseError && e.sqlState === '57014', String(e));
    assert.equal(c.closed, false);
    assert.deepEqual(await c.query('SELECT 2 AS two'), [{ two: 2 }]);
    await assert.rejects(c.query('SELECT 1', [], { signal: ac.signal }), (e: unknown) => e instanceof DatabaseError && e.sqlState === '57014');
  });

  test('cancel() stops the statement inside a transaction, which then rolls back', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE drv_c (id int)');
    const tx = c.inTransaction(async () => {
      await c.exec('INSERT INTO drv_c VALUES (1)');
      await c.exec('SELECT pg_sleep(30)');
    });
    const outcome = tx.then(() => undefined, (e: unknown) => e);
    await waitUntilActive(c.sessionId, 'pg_sleep');
    await c.cancel();
    const e = await outcome;
    assert.ok(e instanceof DatabaseError && e.sqlState === '57014', String(e));
    assert.deepEqual(await c.query('SELECT count(*)::int AS n FROM drv_c'), [{ n: 0 }]);
    await c.cancel(); // nothing running: a no-op
  });

  test('inTransaction is not nestable', async () => {
    const c = await connect();
    await assert.rejects(c.inTransaction(() => c.inTransaction(async () => 1)), { code: 'INTERNAL' });
    assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  test('pg_terminate_backend: an idle session is marked closed; a running statement fails with ConnectionError', async () => {
    const idle = await connect();
    await db.sql('SELECT pg_terminate_backend($1)', [Number(idle.sessionId)]);
    await waitFor(() => idle.closed);
    await assert.rejects(idle.query('SELECT 1'), (e: unknown) => e instanceof ConnectionError);

    const busy = await connect();
    const running = busy.query('SELECT pg_sleep(30)').then(() => undefined, (e: unknown) => e);
    await waitUntilActive(busy.sessionId, 'pg_sleep');
    await db.sql('SELECT pg_terminate_backend($1)', [Number(busy.sessionId)]);
    const e = await running;
    assert.ok(e instanceof ConnectionError && e.code === 'CONNECTION', String(e));
    assert.equal(busy.closed, true);
    await busy.close();
    await busy.close();
  });

  test('fork opens an independent session with the same settings', async () => {
    const c = await connect();
    assert.ok(c.fork);
    const f = await c.fork();
    open.push(f);
    assert.notEqual(f.sessionId, c.sessionId);
    assert.deepEqual(await f.query("SELECT current_setting('application_name') AS app"), [{ app: APP }]);
  });

  async function waitUntilActive(pid: string, text: string): Promise<void> {
    await waitFor(async () => {
      const r = await db.sql<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active' AND query LIKE $2", [Number(pid), `%${text}%`]);
      return r[0]?.n === 1;
    });
  }
});

async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

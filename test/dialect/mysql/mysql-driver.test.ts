/**
 * The MySQL/MariaDB session (src/dialect/mysql/mysql-driver.ts) against the local MariaDB:
 * settings, parameters, UTC DATETIMEs, error mapping, cancel, connection loss.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mysqlDialect } from '../../../src/dialect/mysql/mysql-dialect.js';
import { MysqlConnection, connectionOptions } from '../../../src/dialect/mysql/mysql-driver.js';
import { lineFromMessage } from '../../../src/dialect/mysql/mysql-errors.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import { DatabaseError, type Connection } from '../../../src/dialect/driver.js';
import { ConfigError, ConnectionError, GodwitError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

const APP = 'godwit 0.0.0-test driver-host';

test('lineFromMessage reads MySQL\'s "at line N"', () => {
  assert.equal(lineFromMessage("You have an error in your SQL syntax; check the manual ... near 'FROM' at line 3"), 3);
  assert.equal(lineFromMessage("Table 'a.b' doesn't exist"), undefined);
});

test('URL parameters are validated eagerly', () => {
  const base = 'mysql://u:pw@db.example:3307/app';
  const o = connectionOptions(parseDatabaseUrl(base), APP, 5000);
  assert.equal(o.host, 'db.example');
  assert.equal(o.port, 3307);
  assert.equal(o.database, 'app');
  assert.equal(o.timezone, 'Z');
  assert.equal(o.dateStrings, false);
  assert.equal(o.ssl, undefined);
  assert.deepEqual(o.connectAttributes, { program_name: APP });
  assert.deepEqual(connectionOptions(parseDatabaseUrl(`${base}?sslmode=required`), APP, 5000).ssl, { rejectUnauthorized: false });
  assert.equal(connectionOptions(parseDatabaseUrl(`${base}?socket=/run/mysqld/mysqld.sock`), APP, 5000).socketPath, '/run/mysqld/mysqld.sock');
  assert.throws(() => connectionOptions(parseDatabaseUrl(`${base}?parseTime=true`), APP, 5000), (e: unknown) => e instanceof ConfigError && /parseTime/.test(e.message) && !e.message.includes(':pw@'));
  assert.throws(() => connectionOptions(parseDatabaseUrl(`${base}?sslmode=preferred`), APP, 5000), ConfigError);
  assert.throws(() => connectionOptions(parseDatabaseUrl(`${base}?sslca=/no/such/ca.pem`), APP, 5000), ConfigError);
});

describe('MySQL driver', await skipUnless('mysql'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(url = db.url): Promise<MysqlConnection> {
    const c = await mysqlDialect.connect({ url: parseDatabaseUrl(url), applicationName: APP, attemptTimeoutMs: 5000 });
    open.push(c);
    assert.ok(c instanceof MysqlConnection);
    return c;
  }
  before(async () => {
    db = await createTestDb('mysql', 'gwmydrv');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('sessionId is CONNECTION_ID(); the server version tells MariaDB apart', async () => {
    const c = await connect();
    const [row] = await c.query<{ id: number; v: string }>('SELECT CONNECTION_ID() AS id, VERSION() AS v');
    assert.equal(String(row?.id), c.sessionId);
    assert.equal(c.serverVersion, row?.v);
    assert.equal(c.isMariaDb, /mariadb/i.test(row!.v));
    const seen = await db.sql<{ ID: number }>('SELECT ID FROM information_schema.PROCESSLIST WHERE ID = ?', [Number(c.sessionId)]);
    assert.equal(seen.length, 1);
  });

  test('query binds ? parameters (strings with quotes and backslashes, null, undefined, booleans, bigint) and returns plain rows', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE drv_t (id BIGINT PRIMARY KEY, name TEXT, flag BOOLEAN)');
    const nasty = "it's a \\ back'slash \"; DROP TABLE drv_t; --";
    await c.query('INSERT INTO drv_t VALUES (?, ?, ?)', [1, nasty, true]);
    await c.query('INSERT INTO drv_t VALUES (?, ?, ?)', [2n, null, false]);
    await c.query('INSERT INTO drv_t VALUES (?, ?, ?)', [9007199254740993n, undefined, null]);
    const rows = await c.query('SELECT id, name, flag FROM drv_t ORDER BY id');
    assert.deepEqual(rows, [
      { id: 1, name: nasty, flag: 1 },
      { id: 2, name: null, flag: 0 },
      { id: '9007199254740993', name: null, flag: null },
    ]);
    assert.equal(Object.getPrototypeOf(rows[0]), Object.prototype);
    // A text containing "?" without parameters is sent as is.
    assert.deepEqual(await c.query("SELECT '?' AS q"), [{ q: '?' }]);
  });

  test('exec runs several statements (a code migration\'s text) and a DELIMITER-split procedure body as one', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE drv_multi (id INT); INSERT INTO drv_multi VALUES (1); INSERT INTO drv_multi VALUES (2)');
    assert.deepEqual(await c.query('SELECT COUNT(*) AS n FROM drv_multi'), [{ n: 2 }]);
    const [proc] = await mysqlDialect.splitStatements('DELIMITER //\nCREATE PROCEDURE drv_p()\nBEGIN\n  INSERT INTO drv_multi VALUES (3);\n  INSERT INTO drv_multi VALUES (4);\nEND //\nDELIMITER ;\n');
    await c.exec(proc!.sql);
    await c.exec('CALL drv_p()');
    assert.deepEqual(await c.query('SELECT COUNT(*) AS n FROM drv_multi'), [{ n: 4 }]);
    // query() of multi-statement text answers the rows of the last statement that returned rows.
    assert.deepEqual(await c.query('SELECT 1 AS a; SELECT 2 AS b; DO 0'), [{ b: 2 }]);
  });

  test('DATETIME values are UTC both ways, whatever the process time zone', async () => {
    const saved = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Auckland';
      const c = await connect();
      await c.exec('CREATE TABLE drv_dt (id INT PRIMARY KEY, at DATETIME(3))');
      const at = new Date('2025-01-02T03:04:05.678Z');
      await c.query('INSERT INTO drv_dt VALUES (1, ?)', [at]);
      await c.query('INSERT INTO drv_dt VALUES (2, ?)', ['2025-06-07 08:09:10.111']);
      const raw = await db.sql<{ s: string }>("SELECT DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f') AS s FROM drv_dt ORDER BY id");
      assert.deepEqual(raw.map((r) => r.s), ['2025-01-02 03:04:05.678000', '2025-06-07 08:09:10.111000']);
      process.env.TZ = 'America/Los_Angeles';
      const back = await c.query<{ at: Date }>('SELECT at FROM drv_dt ORDER BY id');
      assert.deepEqual(back.map((r) => r.at.toISOString()), ['2025-01-02T03:04:05.678Z', '2025-06-07T08:09:10.111Z']);
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  test('a statement error is a DatabaseError with SQLSTATE, errno and the line from "at line N"', async () => {
    const c = await connect();
    await assert.rejects(c.exec('SELECT 1,\n  2,\n  3 FROM WHERE'), (e: unknown) => {
      assert.ok(e instanceof DatabaseError, String(e));
      assert.equal(e.code, 'MIGRATION_FAILED');
      assert.equal(e.sqlState, '42000');
      assert.equal(e.facts.errno, 1064);
      assert.equal(e.lineInStatement, 3);
      return true;
    });
    await assert.rejects(c.query('SELECT * FROM drv_nope WHERE id = ?', [1]), (e: unknown) => {
      assert.ok(e instanceof DatabaseError);
      assert.equal(e.sqlState, '42S02');
      assert.equal(e.facts.errno, 1146);
      assert.equal(e.lineInStatement, undefined);
      return true;
    });
    assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);
  });

  test('inTransaction commits, rolls back, and is not nestable', async () => {
    const c = await connect();
    await c.exec('CREATE TABLE drv_tx (id INT PRIMARY KEY) ENGINE=InnoDB');
    await c.inTransaction(() => c.query('INSERT INTO drv_tx VALUES (1)'));
    await assert.rejects(
      c.inTransaction(async () => {
        await c.query('INSERT INTO drv_tx VALUES (2)');
        throw new Error('nope');
      }),
      /nope/,
    );
    await assert.rejects(c.inTransaction(() => c.inTransaction(async () => 1)), (e: unknown) => e instanceof GodwitError && e.code === 'INTERNAL');
    assert.deepEqual(await c.query('SELECT id FROM drv_tx ORDER BY id'), [{ id: 1 }]);
  });

  test('cancel() kills the running statement with KILL QUERY (the session survives); an aborted signal does too', async () => {
    const c = await connect();
    const blocker = await connect();
    await c.exec('CREATE TABLE drv_cancel (id INT PRIMARY KEY) ENGINE=InnoDB; INSERT INTO drv_cancel VALUES (1)');
    // A statement that waits on a row lock held by another session: cancellable, and it cannot finish by itself.
    await blocker.exec('START TRANSACTION');
    await blocker.query('SELECT id FROM drv_cancel WHERE id = 1 FOR UPDATE');
    await c.exec('SET SESSION innodb_lock_wait_timeout = 60');
    const waiting = c.query('SELECT id FROM drv_cancel WHERE id = 1 FOR UPDATE').then(
      () => 'finished',
      (e: unknown) => e,
    );
    await waitForState(Number(c.sessionId), 'Query');
    await c.cancel();
    const err = await waiting;
    assert.ok(err instanceof DatabaseError, String(err));
    assert.equal(err.facts.errno, 1317, err.message); // ER_QUERY_INTERRUPTED
    assert.equal(c.closed, false);
    assert.deepEqual(await c.query('SELECT 1 AS one'), [{ one: 1 }]);

    const ac = new AbortController();
    const viaSignal = c.query('SELECT id FROM drv_cancel WHERE id = 1 FOR UPDATE', [], { signal: ac.signal }).then(
      () => 'finished',
      (e: unknown) => e,
    );
    await waitForState(Number(c.sessionId), 'Query');
    ac.abort('SIGTERM');
    const err2 = await viaSignal;
    assert.ok(err2 instanceof DatabaseError && err2.facts.errno === 1317, String(err2));
    // Already aborted: the statement does not start.
    await assert.rejects(c.exec('CREATE TABLE drv_never (id INT)', { signal: ac.signal }), DatabaseError);
    assert.equal((await db.sql("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'drv_never'")).length, 0);
    await blocker.exec('ROLLBACK');
    // cancel() with nothing running does nothing, and the next statement is not hit by a stale KILL QUERY.
    await c.cancel();
    assert.deepEqual(await c.query('SELECT 2 AS two'), [{ two: 2 }]);
  });

  test('a KILLed session is a ConnectionError and closed', async () => {
    const c = await connect();
    await db.sql(`KILL ${Number(c.sessionId)}`);
    await assert.rejects(c.query('SELECT 1'), (e: unknown) => e instanceof ConnectionError && !/:[^@/]*@/.test(e.message));
    assert.equal(c.closed, true);
    await c.close();
  });

  test('fork() opens an independent session with the same settings', async () => {
    const c = await connect();
    const f = await c.fork();
    open.push(f);
    assert.notEqual(f.sessionId, c.sessionId);
    assert.deepEqual(await f.query('SELECT DATABASE() AS d'), [{ d: db.name }]);
  });

  describe('connect errors', () => {
    test('an unknown database is a ConfigError naming it', async () => {
      const missing = `gw_missing_${randomBytes(4).toString('hex')}`;
      await assert.rejects(connect(db.url.replace(/\/[^/?]*$/, `/${missing}`)), (e: unknown) => {
        assert.ok(e instanceof ConfigError, String(e));
        assert.match(e.message, new RegExp(missing));
        assert.equal(e.facts.errno, 1049);
        return true;
      });
    });

    test('a wrong password is a ConfigError with the password masked', async () => {
      const user = `gw_u_${randomBytes(4).toString('hex')}`;
      await db.sql(`CREATE USER '${user}'@'%' IDENTIFIED BY 'right-pw'`);
      await db.sql(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'right-pw'`);
      await db.sql(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'%'`);
      await db.sql(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'localhost'`);
      try {
        const good = await connect(`mysql://${user}:right-pw@127.0.0.1:3306/${db.name}`);
        assert.deepEqual(await good.query('SELECT 1 AS one'), [{ one: 1 }]);
        await assert.rejects(connect(`mysql://${user}:wr0ng-s3cret@127.0.0.1:3306/${db.name}`), (e: unknown) => {
          assert.ok(e instanceof ConfigError, String(e));
          assert.equal(e.code, 'CONFIG');
          assert.equal(e.facts.errno, 1045);
          assert.ok(!e.message.includes('wr0ng-s3cret'), e.message);
          assert.ok(e.message.includes(`${user}:***@`), e.message);
          assert.ok(!JSON.stringify(e.facts).includes('wr0ng-s3cret'));
          return true;
        });
      } finally {
        await db.sql(`DROP USER IF EXISTS '${user}'@'%'`);
        await db.sql(`DROP USER IF EXISTS '${user}'@'localhost'`);
      }
    });

    test('a closed port is a ConnectionError (retryable), password masked', async () => {
      await assert.rejects(
        mysqlDialect.connect({ url: parseDatabaseUrl('mariadb://root:pa55word@127.0.0.1:1/x'), applicationName: APP, attemptTimeoutMs: 3000 }),
        (e: unknown) => {
          assert.ok(e instanceof ConnectionError, String(e));
          assert.equal(e.code, 'CONNECTION');
          assert.ok(!e.message.includes('pa55word'));
          return true;
        },
      );
    });
  });

  async function waitForState(id: number, command: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      const rows = await db.sql<{ c: string; s: string | null }>('SELECT COMMAND AS c, STATE AS s FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
      if (rows[0]?.c === command && rows[0]?.s !== null && rows[0]?.s !== '') return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`session ${id} never reached ${command}`);
  }
});


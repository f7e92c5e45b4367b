/**
 * The MySQL dialect object (src/dialect/mysql/mysql-dialect.ts): capabilities, targets, DDL lock
 * timeouts, catalog probes for interrupted statements, and DELIMITER-split routines on the server.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mysqlDialect } from '../../../src/dialect/mysql/mysql-dialect.js';
import { parseMysqlTableName } from '../../../src/dialect/mysql/mysql-target.js';
import { probeSubject } from '../../../src/dialect/mysql/mysql-probe.js';
import { parseDatabaseUrl } from '../../../src/dialect/database-url.js';
import { DatabaseError, type Connection } from '../../../src/dialect/driver.js';
import { ConfigError, MigrationFailedError } from '../../../src/core/errors.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

test('capabilities: no transactional DDL, advisory locks, cancel, DDL lock timeout, no schemas', () => {
  const c = mysqlDialect.capabilities;
  assert.equal(mysqlDialect.name, 'mysql');
  assert.deepEqual(
    { transactionalDdl: c.transactionalDdl, advisoryLocks: c.advisoryLocks, cancelStatement: c.cancelStatement, ddlLockTimeout: c.ddlLockTimeout, schemas: c.schemas, concurrentIndex: c.concurrentIndex },
    { transactionalDdl: false, advisoryLocks: true, cancelStatement: true, ddlLockTimeout: true, schemas: false, concurrentIndex: false },
  );
  assert.equal(mysqlDialect.mustRunOutsideTransaction('CREATE INDEX i ON t (c)'), false);
});

test('history table names: table or database.table, bare or backquoted', () => {
  assert.deepEqual(parseMysqlTableName('godwit_migrations'), ['godwit_migrations']);
  assert.deepEqual(parseMysqlTableName('ops.godwit_migrations'), ['ops', 'godwit_migrations']);
  assert.deepEqual(parseMysqlTableName('`my-db`.`odd``name`'), ['my-db', 'odd`name']);
  for (const bad of ['', 'a.b.c', 'a.', '`open', 'a b', 'x'.repeat(65)]) assert.throws(() => parseMysqlTableName(bad), ConfigError, bad);
});

test('probeSubject recognises the statements whose effect the catalog shows, and nothing else', () => {
  const cases: Array<[string, unknown]> = [
    ['CREATE TABLE IF NOT EXISTS `app`.`t1` (id INT)', { what: 'table', create: true, tables: [{ db: 'app', name: 't1' }] }],
    ['-- lead\nCREATE TABLE t1 LIKE t0', { what: 'table', create: true, tables: [{ db: undefined, name: 't1' }] }],
    ['DROP TABLE IF EXISTS a, b.c', { what: 'table', create: false, tables: [{ db: undefined, name: 'a' }, { db: 'b', name: 'c' }] }],
    ['CREATE UNIQUE INDEX ix USING BTREE ON t (c)', { what: 'index', create: true, table: { db: undefined, name: 't' }, index: 'ix' }],
    ['DROP INDEX `ix` ON db1.t', { what: 'index', create: false, table: { db: 'db1', name: 't' }, index: 'ix' }],
    ["ALTER TABLE t ADD COLUMN c VARCHAR(10) DEFAULT 'a,b' AFTER id, ALGORITHM=INPLACE, LOCK=NONE", { what: 'column', create: true, table: { db: undefined, name: 't' }, column: 'c' }],
    ['ALTER TABLE t ADD c ENUM(\'x\', \'y\')', { what: 'column', create: true, table: { db: undefined, name: 't' }, column: 'c' }],
    ['ALTER TABLE t DROP COLUMN IF EXISTS c', { what: 'column', create: false, table: { db: undefined, name: 't' }, column: 'c' }],
    ['ALTER TABLE t ADD UNIQUE KEY uk (a, b)', { what: 'index', create: true, table: { db: undefined, name: 't' }, index: 'uk' }],
    ['ALTER TABLE t DROP INDEX uk', { what: 'index', create: false, table: { db: undefined, name: 't' }, index: 'uk' }],
  ];
  for (const [sql, want] of cases) assert.deepEqual(probeSubject(sql), want, sql);
  for (const sql of [
    'INSERT INTO t VALUES (1)',
    'CREATE OR REPLACE TABLE t (id INT)',
    'CREATE TEMPORARY TABLE t (id INT)',
    'DROP TEMPORARY TABLE t',
    'ALTER TABLE t ADD COLUMN a INT, ADD COLUMN b INT',
    'ALTER TABLE t ADD COLUMN (a INT, b INT)',
    'ALTER TABLE t ADD INDEX (c)',
    'ALTER TABLE t ADD PRIMARY KEY (id)',
    'ALTER TABLE t DROP FOREIGN KEY fk',
    'ALTER TABLE t MODIFY c INT',
    '/*!50001 CREATE TABLE t (id INT) */',
    'CREATE VIEW v AS SELECT 1',
  ]) {
    assert.equal(probeSubject(sql), undefined, sql);
  }
});

describe('MySQL dialect on MariaDB', await skipUnless('mysql'), () => {
  let db: TestDb;
  const open: Connection[] = [];
  async function connect(): Promise<Connection> {
    const c = await mysqlDialect.connect({ url: parseDatabaseUrl(db.url), applicationName: 'godwit 0.0.0-test dialect', attemptTimeoutMs: 5000 });
    open.push(c);
    return c;
  }
  before(async () => {
    db = await createTestDb('mysql', 'gwmydia');
  });
  after(async () => {
    for (const c of open) await c.close();
    await db?.drop();
  });

  test('resolveTarget: database = DATABASE(), no schema', async () => {
    const c = await connect();
    assert.deepEqual(await mysqlDialect.resolveTarget(c, parseDatabaseUrl(db.url), 'godwit_migrations'), { database: db.name, schema: undefined, table: 'godwit_migrations' });
    assert.deepEqual(await mysqlDialect.resolveTarget(c, parseDatabaseUrl(db.url), `\`${db.name}\`.h`), { database: db.name, schema: undefined, table: 'h' });
  });

  test('setLockTimeout sets lock_wait_timeout and innodb_lock_wait_timeout in whole seconds (at least 1; 0 = maximum)', async () => {
    const c = await connect();
    const read = async () => (await c.query<{ l: number; i: number }>('SELECT @@SESSION.lock_wait_timeout AS l, @@SESSION.innodb_lock_wait_timeout AS i'))[0];
    await mysqlDialect.setLockTimeout(c, 5000);
    assert.deepEqual(await read(), { l: 5, i: 5 });
    await mysqlDialect.setLockTimeout(c, 1);
    assert.deepEqual(await read(), { l: 1, i: 1 });
    await mysqlDialect.setLockTimeout(c, 2500);
    assert.deepEqual(await read(), { l: 3, i: 3 });
    await mysqlDialect.setLockTimeout(c, 0);
    assert.deepEqual(await read(), { l: 31536000, i: 100000000 });
  });

  test('a DDL statement waiting for a metadata lock, and a row lock wait, time out and are recognised as lock timeouts', async () => {
    const a = await connect();
    const b = await connect();
    await a.exec('CREATE TABLE lt (id INT PRIMARY KEY, n INT) ENGINE=InnoDB; INSERT INTO lt VALUES (1, 0)');
    await b.exec('START TRANSACTION');
    await b.query('SELECT * FROM lt'); // holds a shared metadata lock until the transaction ends
    await mysqlDialect.setLockTimeout(a, 1000);
    const ddl = await a.exec('ALTER TABLE lt ADD COLUMN extra INT').then(() => undefined, (e: unknown) => e);
    assert.ok(ddl instanceof DatabaseError, String(ddl));
    assert.equal(ddl.facts.errno, 1205);
    assert.equal(mysqlDialect.isLockTimeout(ddl), true);
    // Also when wrapped the way the runner wraps statement failures.
    assert.equal(mysqlDialect.isLockTimeout(new MigrationFailedError('wrapped', {}, { cause: ddl })), true);
    await b.exec('ROLLBACK');

    await b.exec('START TRANSACTION');
    await b.query('UPDATE lt SET n = 1 WHERE id = 1');
    const row = await a.query('UPDATE lt SET n = 2 WHERE id = 1').then(() => undefined, (e: unknown) => e);
    assert.ok(row instanceof DatabaseError && mysqlDialect.isLockTimeout(row), String(row));
    await b.exec('ROLLBACK');

    const other = await a.query('SELECT * FROM lt_missing').then(() => undefined, (e: unknown) => e);
    assert.equal(mysqlDialect.isLockTimeout(other), false);
    assert.equal(mysqlDialect.isLockTimeout(new Error('Lock wait timeout exceeded')), false);
  });

  test('probeInterrupted asks the catalog for CREATE/DROP TABLE, CREATE/DROP INDEX, ADD/DROP COLUMN', async () => {
    const c = await connect();
    const probe = (sql: string) => mysqlDialect.probeInterrupted(c, sql);
    const create = 'CREATE TABLE pr (id INT PRIMARY KEY, c INT)';
    assert.equal(await probe(create), 'not-applied');
    await c.exec(create);
    assert.equal(await probe(create), 'applied');
    assert.equal(await probe(`CREATE TABLE \`${db.name}\`.pr (id INT)`), 'applied');

    const index = 'CREATE INDEX pr_c ON pr (c)';
    assert.equal(await probe(index), 'not-applied');
    assert.equal(await probe('DROP INDEX pr_c ON pr'), 'applied');
    await c.exec(index);
    assert.equal(await probe(index), 'applied');
    assert.equal(await probe('DROP INDEX pr_c ON pr'), 'not-applied');
    assert.equal(await probe('CREATE INDEX x ON pr_missing (c)'), 'unknown');

    const add = 'ALTER TABLE pr ADD COLUMN d INT NOT NULL DEFAULT 0, ALGORITHM=INPLACE';
    assert.equal(await probe(add), 'not-applied');
    await c.exec(add);
    assert.equal(await probe(add), 'applied');
    assert.equal(await probe('ALTER TABLE pr DROP COLUMN d'), 'not-applied');
    await c.exec('ALTER TABLE pr DROP COLUMN d');
    assert.equal(await probe('ALTER TABLE pr DROP COLUMN d'), 'applied');
    assert.equal(await probe('ALTER TABLE pr ADD KEY pr_k (c)'), 'not-applied');

    await c.exec('CREATE TABLE pr2 (id INT)');
    assert.equal(await probe('DROP TABLE pr, pr2'), 'not-applied');
    await c.exec('DROP TABLE pr2');
    assert.equal(await probe('DROP TABLE pr, pr2'), 'unknown');
    await c.exec('DROP TABLE pr');
    assert.equal(await probe('DROP TABLE IF EXISTS pr, pr2'), 'applied');

    assert.equal(await probe('INSERT INTO pr VALUES (1, 1)'), 'unknown');
    assert.equal(await probe('ALTER TABLE pr ADD COLUMN a INT, ADD COLUMN b INT'), 'unknown');
  });

  test('probeInterrupted answers unknown while the same statement still runs in another session', async () => {
    const runner = await connect();
    const blocker = await connect();
    const prober = await connect();
    await runner.exec('CREATE TABLE busy (id INT) ENGINE=InnoDB');
    await blocker.exec('START TRANSACTION');
    await blocker.query('SELECT * FROM busy');
    const sql = 'ALTER TABLE busy ADD COLUMN later INT';
    await mysqlDialect.setLockTimeout(runner, 30_000);
    const running = runner.exec(sql).then(() => 'done', (e: unknown) => e);
    for (let i = 0; i < 200; i++) {
      const rows = await db.sql('SELECT ID FROM information_schema.PROCESSLIST WHERE INFO = ?', [sql]);
      if (rows.length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal(await mysqlDialect.probeInterrupted(prober, sql), 'unknown');
    await runner.cancel();
    await running;
    await blocker.exec('ROLLBACK');
    assert.equal(await mysqlDialect.probeInterrupted(prober, sql), 'not-applied');
  });

  test('a procedure and a trigger split from DELIMITER blocks run on the server, and errors carry their line', async () => {
    const c = await connect();
    const text = [
      'CREATE TABLE counter (id INT PRIMARY KEY, n INT NOT NULL DEFAULT 0);',
      'DELIMITER //',
      'CREATE PROCEDURE bump(IN k INT)',
      'BEGIN',
      '  INSERT INTO counter (id) VALUES (k) ON DUPLICATE KEY UPDATE n = n + 1;',
      '  UPDATE counter SET n = n + 0 WHERE id = k; -- a ";" in a comment',
      'END //',
      'CREATE TRIGGER counter_bi BEFORE INSERT ON counter FOR EACH ROW',
      'BEGIN',
      '  IF NEW.n < 0 THEN SET NEW.n = 0; END IF;',
      'END//',
      'DELIMITER ;',
      'CALL bump(1); CALL bump(1);',
      "INSERT INTO counter VALUES (2, -5);",
    ].join('\n');
    const statements = await mysqlDialect.splitStatements(text);
    assert.deepEqual(
      statements.map((s) => s.lineOffset),
      [0, 2, 7, 12, 12, 13],
    );
    for (const s of statements) await c.exec(s.sql);
    assert.deepEqual(await c.query('SELECT id, n FROM counter ORDER BY id'), [
      { id: 1, n: 1 },
      { id: 2, n: 0 },
    ]);
    const [bad] = await mysqlDialect.splitStatements('\n\nDELIMITER //\nCREATE PROCEDURE broken()\nBEGIN\n  SELECT 1;\n  SELEC 2;\nEND //');
    assert.equal(bad!.lineOffset, 3);
    await assert.rejects(c.exec(bad!.sql), (e: unknown) => e instanceof DatabaseError && e.lineInStatement === 4);
  });

  test('detectTransactionPooler detects nothing (ProxySQL/MaxScale are out of scope)', async () => {
    assert.equal(await mysqlDialect.detectTransactionPooler(await connect()), undefined);
  });
});

/**
 * Engine-specific SQL through the CLI: PostgreSQL bodies and error positions mapped to file lines,
 * COPY FROM stdin refused; MySQL DELIMITER blocks and error lines; SQLite trigger bodies;
 * schema-qualified history tables.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { historyRows, tableExists } from '../helpers/inspect.js';

describe('postgres SQL', async () => {
  const opts = await skipUnless('postgres');
  let db: TestDb;
  before(async () => {
    if (!opts.skip) db = await createTestDb('postgres');
  });
  after(async () => {
    await db?.drop();
  });

  test('dollar-quoted bodies, E strings and nested comments split right; goose blocks too', opts, async () => {
    const dir = tempDir({
      '0001_fn.sql': `/* outer /* nested; */ still comment; */
CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);
CREATE FUNCTION notes_touch() RETURNS trigger AS $$
BEGIN
  NEW.body := NEW.body || ';';
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
INSERT INTO notes VALUES (1, E'it''s; here\\n');
-- godwit:down
DROP FUNCTION notes_touch();
DROP TABLE notes;
`,
      '0002_goose.sql': `-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION add_one(i integer) RETURNS integer AS $body$
BEGIN
  RETURN i + 1;
END;
$body$ LANGUAGE plpgsql;
-- +goose StatementEnd
-- +goose Down
DROP FUNCTION add_one(integer);
`,
    });
    const r = await runCli(['--database', db.url, '--dir', dir, 'up']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await db.sql<{ body: string }>('SELECT body FROM notes');
    assert.equal(rows[0]!.body, "it's; here\n");
    assert.equal((await db.sql<{ v: number }>('SELECT add_one(41) AS v'))[0]!.v, 42);
    assert.deepEqual((await historyRows(db)).map((h) => h.statements_total), [3, 1]);
  });

  test('a syntax error inside a long statement points at the line in the file', opts, async () => {
    const dir = tempDir({
      '0001_ok.sql': 'CREATE TABLE t (id INTEGER PRIMARY KEY);\n',
      '0002_err.sql': `-- godwit:up
CREATE TABLE u (id INTEGER);

INSERT INTO t (id)
SELECT id
FROM u
WHERE nonexistent_column = 1;
`,
    });
    const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'err_history', 'up']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /0002_err\.sql:7: migration 2 failed: column "nonexistent_column" does not exist/);
    assert.equal(await tableExists(db, 'u'), false, 'rolled back');
  });

  test('COPY FROM stdin is refused up front (exit 2)', opts, async () => {
    const dir = tempDir({ '0001_copy.sql': 'CREATE TABLE c (id int);\nCOPY c (id) FROM stdin;\n1\n\\.\n' });
    const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'copy_history', 'up']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /0001_copy\.sql.*COPY/);
    assert.equal(await tableExists(db, 'c'), false);
  });

  test('SQL the parser refuses, after a good migration: exit 2, nothing applied, no history table written', opts, async () => {
    const dir = tempDir({
      '0001_ok.sql': 'CREATE TABLE parse_ok (id int);\n',
      '0002_bad.sql': 'CREATE TABLE parse_bad (id int);\nCREATE TABEL oops (id int);\n',
    });
    const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'parse_history', 'up']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /0002_bad\.sql:2: .*syntax error/);
    assert.equal(await tableExists(db, 'parse_ok'), false, 'migration 1 did not run either');
    assert.equal(await tableExists(db, 'parse_history'), false, 'the check came before the history table was created');
  });

  test('SQL the parser refuses in lease mode: exit 2 and not even the lease table is created', opts, async () => {
    const dir = tempDir({ '0001_bad.sql': 'CREATE TABEL oops (id int);\n' });
    const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'lease_parse_history', '--lock-mode', 'lease', 'up']);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(await tableExists(db, 'lease_parse_history_lock'), false, 'checked before the lease was taken');
    assert.equal(await tableExists(db, 'lease_parse_history'), false);
  });

  test('a schema-qualified history table', opts, async () => {
    await db.sql('CREATE SCHEMA IF NOT EXISTS ops');
    const dir = tempDir({ '0001_a.sql': 'CREATE TABLE qualified_a (id int);\n' });
    const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'ops.app_migrations', 'up']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await db.sql<{ n: string }>(`SELECT count(*)::text AS n FROM ops.app_migrations`);
    assert.equal(rows[0]!.n, '1');
    const ev = await db.sql<{ n: string }>(`SELECT count(*)::text AS n FROM ops.app_events`);
    assert.equal(ev[0]!.n, '1');
  });
});

describe('mysql SQL', async () => {
  const opts = await skipUnless('mysql');
  let db: TestDb;
  before(async () => {
    if (!opts.skip) db = await createTestDb('mysql');
  });
  after(async () => {
    await db?.drop();
  });

  test('DELIMITER blocks with a procedure and a trigger', opts, async () => {
    const dir = tempDir({
      '0001_proc.sql': `CREATE TABLE counters (id INT PRIMARY KEY, n INT NOT NULL);
DELIMITER //
CREATE PROCEDURE bump(IN cid INT)
BEGIN
  UPDATE counters SET n = n + 1 WHERE id = cid;
END //
CREATE TRIGGER counters_bi BEFORE INSERT ON counters FOR EACH ROW
BEGIN
  IF NEW.n < 0 THEN SET NEW.n = 0; END IF;
END //
DELIMITER ;
INSERT INTO counters VALUES (1, -5);
CALL bump(1);
`,
    });
    const r = await runCli(['--database', db.url, '--dir', dir, 'up']);
    assert.equal(r.code, 0, r.stderr);
    const rows = await db.sql<{ n: number }>('SELECT n FROM counters WHERE id = 1');
    assert.equal(rows[0]!.n, 1);
  });

  test('a syntax error points at the line in the file', opts, async () => {
    const dir = tempDir({
      '0001_err.sql': `INSERT INTO counters (id, n)
VALUES (2, 0);
SELECT *
FROM counters
WHERE id = = 2;
`,
    });
    const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'err_history', 'up']);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /0001_err\.sql:5: migration 1 failed: .*syntax/);
    assert.equal((await db.sql('SELECT * FROM counters WHERE id = 2')).length, 0, 'rolled back');
  });
});

describe('sqlite SQL', () => {
  test('a malformed migration: exit 2, and neither the history table nor the lock file is created', async () => {
    const db = await createTestDb('sqlite');
    try {
      const dir = tempDir({ '0001_ok.sql': 'CREATE TABLE ok (id INTEGER);\n', '0002_bad.sql': 'CREATE TABLE bad (id INTEGER);\nVACUUM;\n' });
      const r = await runCli(['--database', db.url, '--dir', dir, 'up']);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(await tableExists(db, 'ok'), false);
      assert.equal(await tableExists(db, 'godwit_migrations'), false);
      assert.deepEqual(readdirSync(dirname(db.name)).filter((f) => f.endsWith('.lock')), [], 'no companion lock file');
    } finally {
      await db.drop();
    }
  });

  test('trigger bodies with semicolons', async () => {
    const db = await createTestDb('sqlite');
    try {
      const dir = tempDir({
        '0001_trg.sql': `CREATE TABLE log (msg TEXT);
CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT);
CREATE TRIGGER items_ai AFTER INSERT ON items
BEGIN
  INSERT INTO log (msg) VALUES ('added; ' || NEW.label);
  INSERT INTO log (msg) VALUES (CASE WHEN NEW.id > 1 THEN 'many' ELSE 'first' END);
END;
INSERT INTO items (id, label) VALUES (1, 'a');
`,
      });
      const r = await runCli(['--database', db.url, '--dir', dir, 'up']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((await db.sql<{ msg: string }>('SELECT msg FROM log')).map((x) => x.msg), ['added; a', 'first']);
    } finally {
      await db.drop();
    }
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitSqlite } from '../../src/sql/split-sqlite.js';

const sqls = (t: string) => splitSqlite(t).map((s) => s.sql);

test('empty, blank and comment-only text give no statements', () => {
  assert.deepEqual(splitSqlite(''), []);
  assert.deepEqual(splitSqlite('  \n\t\n'), []);
  assert.deepEqual(splitSqlite('-- only a comment\n/* and\n a block */\n;;\n'), []);
});

test('statements come without the trailing semicolon, with the line of their first code character', () => {
  const text = '-- header\n\nCREATE TABLE a (id INTEGER);\n/* c */ INSERT INTO a VALUES (1);\n\n  SELECT 1';
  assert.deepEqual(splitSqlite(text), [
    { sql: 'CREATE TABLE a (id INTEGER)', lineOffset: 2 },
    { sql: 'INSERT INTO a VALUES (1)', lineOffset: 3 },
    { sql: 'SELECT 1', lineOffset: 5 },
  ]);
});

test('semicolons inside strings, quoted identifiers and comments do not split; trailing comments are dropped', () => {
  const text = [
    "INSERT INTO t VALUES ('a;b', 'it''s; fine');",
    'CREATE TABLE "we;ird" ("c;1" TEXT, `c;2` TEXT, [c;3] TEXT);',
    'SELECT 1 -- trailing; comment',
    ';',
    'SELECT /* a ; b */ 2;',
  ].join('\n');
  assert.deepEqual(sqls(text), [
    "INSERT INTO t VALUES ('a;b', 'it''s; fine')",
    'CREATE TABLE "we;ird" ("c;1" TEXT, `c;2` TEXT, [c;3] TEXT)',
    'SELECT 1',
    'SELECT /* a ; b */ 2',
  ]);
});

test('line offsets count newlines inside strings and block comments', () => {
  const text = "SELECT 'a\nb';\n/* x\ny\n*/\nSELECT \"q\n\";\nSELECT 3;";
  assert.deepEqual(
    splitSqlite(text).map((s) => s.lineOffset),
    [0, 5, 7],
  );
});

test('a trigger body is one statement, including CASE ... END inside it', () => {
  const trigger = `CREATE TRIGGER trg_audit AFTER UPDATE ON accounts
WHEN new.balance <> old.balance
BEGIN
  INSERT INTO audit (id, kind) VALUES (new.id, CASE WHEN new.balance > old.balance THEN 'up' ELSE 'down' END);
  UPDATE accounts SET touched = 1 WHERE id = new.id;
END`;
  const text = `CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER, touched INTEGER);\n${trigger};\nINSERT INTO accounts VALUES (1, 10, 0);`;
  const got = splitSqlite(text);
  assert.equal(got.length, 3);
  assert.equal(got[1]!.sql, trigger);
  assert.equal(got[1]!.lineOffset, 1);
  assert.equal(got[2]!.lineOffset, 7);
});

test('TEMP triggers, lower case keywords and a CASE in the WHEN clause', () => {
  const text = `create temp trigger t1 before insert on a when case when new.x then 1 else 0 end begin select raise(abort, 'no;'); end;
create temporary trigger if not exists t2 after delete on a begin delete from b where id = old.id; end;
select 1;`;
  assert.deepEqual(sqls(text), [
    "create temp trigger t1 before insert on a when case when new.x then 1 else 0 end begin select raise(abort, 'no;'); end",
    'create temporary trigger if not exists t2 after delete on a begin delete from b where id = old.id; end',
    'select 1',
  ]);
});

test('BEGIN / END / COMMIT as transaction statements split normally', () => {
  assert.deepEqual(sqls('BEGIN; CREATE TABLE x (a); END; BEGIN TRANSACTION; COMMIT;'), [
    'BEGIN',
    'CREATE TABLE x (a)',
    'END',
    'BEGIN TRANSACTION',
    'COMMIT',
  ]);
});

test('words that merely contain trigger keywords do not open a block', () => {
  assert.deepEqual(sqls('CREATE TABLE triggers (beginning TEXT, ending TEXT, cased TEXT); SELECT 2;'), [
    'CREATE TABLE triggers (beginning TEXT, ending TEXT, cased TEXT)',
    'SELECT 2',
  ]);
});

test('an unterminated string or comment runs to the end of the text', () => {
  assert.deepEqual(sqls("SELECT 1; SELECT 'open; SELECT 2"), ['SELECT 1', "SELECT 'open; SELECT 2"]);
  assert.deepEqual(sqls('SELECT 1; /* open; SELECT 2'), ['SELECT 1']);
});

test('CRLF line endings', () => {
  assert.deepEqual(splitSqlite('SELECT 1;\r\n\r\nSELECT 2;\r\n'), [
    { sql: 'SELECT 1', lineOffset: 0 },
    { sql: 'SELECT 2', lineOffset: 2 },
  ]);
});

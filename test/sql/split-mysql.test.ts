import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitMysql } from '../../src/sql/split-mysql.js';
import { BadMigrationError } from '../../src/core/errors.js';

const sqls = (t: string) => splitMysql(t).map((s) => s.sql);

test('empty, blank and comment-only text give no statements', () => {
  assert.deepEqual(splitMysql(''), []);
  assert.deepEqual(splitMysql(' \n\t\r\n'), []);
  assert.deepEqual(splitMysql('-- a comment\n# another\n/* and\n a block */\n;;\n'), []);
});

test('statements come without the delimiter, with the 0-based line of their first code character', () => {
  const text = '-- header\n\nCREATE TABLE a (id INT);\n/* c */ INSERT INTO a VALUES (1); SELECT 2;\n\n  SELECT 3';
  assert.deepEqual(splitMysql(text), [
    { sql: 'CREATE TABLE a (id INT)', lineOffset: 2 },
    { sql: 'INSERT INTO a VALUES (1)', lineOffset: 3 },
    { sql: 'SELECT 2', lineOffset: 3 },
    { sql: 'SELECT 3', lineOffset: 5 },
  ]);
});

test('semicolons in single- and double-quoted strings, with backslash escapes and doubled quotes, do not split', () => {
  const text = [
    "INSERT INTO t VALUES ('a;b', 'it''s; ok', 'esc\\'; still', 'back\\\\');",
    'INSERT INTO t VALUES ("x;y", "say ""hi;""", "q\\"; z");',
    "SELECT 'ends with backslash\\\\'; SELECT 2;",
  ].join('\n');
  assert.deepEqual(sqls(text), [
    "INSERT INTO t VALUES ('a;b', 'it''s; ok', 'esc\\'; still', 'back\\\\')",
    'INSERT INTO t VALUES ("x;y", "say ""hi;""", "q\\"; z")',
    "SELECT 'ends with backslash\\\\'",
    'SELECT 2',
  ]);
});

test('backtick identifiers keep semicolons, quotes and doubled backticks; a backslash is literal there', () => {
  const text = "CREATE TABLE `we;ird` (`it's` INT, `a``b;` INT, `c\\` INT);\nSELECT 1;";
  assert.deepEqual(sqls(text), ["CREATE TABLE `we;ird` (`it's` INT, `a``b;` INT, `c\\` INT)", 'SELECT 1']);
});

test('comments: # and "-- " to end of line, /* */ blocks; "--" without a space is not a comment', () => {
  const text = [
    'SELECT 1 # trailing; comment',
    ';',
    'SELECT 5--3; -- real comment; here',
    'SELECT /* a ; b */ 2;',
    'SELECT 4 --\tcomment after a tab;',
    ';',
    'SELECT 6 --',
    ';',
  ].join('\n');
  assert.deepEqual(sqls(text), ['SELECT 1', 'SELECT 5--3', 'SELECT /* a ; b */ 2', 'SELECT 4', 'SELECT 6']);
});

test('executable comments are code: kept, and a delimiter inside one does not split', () => {
  const text = [
    '/*!40101 SET NAMES utf8mb4 */;',
    '/*M!100100 SET @x = 1 */;',
    'CREATE TABLE t (id INT) /*!50100 ENGINE=InnoDB */;',
    '/*!50003 CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END */;',
    '/* plain; comment */ SELECT 3;',
  ].join('\n');
  assert.deepEqual(sqls(text), [
    '/*!40101 SET NAMES utf8mb4 */',
    '/*M!100100 SET @x = 1 */',
    'CREATE TABLE t (id INT) /*!50100 ENGINE=InnoDB */',
    '/*!50003 CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END */',
    'SELECT 3',
  ]);
});

test('DELIMITER blocks: a procedure and a trigger whose bodies contain semicolons', () => {
  const text = [
    'CREATE TABLE t (id INT, n INT);', // 0
    '', // 1
    'DELIMITER //', // 2
    'CREATE PROCEDURE bump(IN k INT)', // 3
    'BEGIN', // 4
    "  UPDATE t SET n = n + 1 WHERE id = k; -- a ';' in a comment", // 5
    '  SELECT "//"; SELECT \'end //\';', // 6
    'END //', // 7
    'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW', // 8
    'BEGIN', // 9
    '  IF NEW.n IS NULL THEN SET NEW.n = 0; END IF;', // 10
    'END//', // 11
    'delimiter ;', // 12
    'INSERT INTO t VALUES (1, NULL);', // 13
    'DELIMITER $$ -- back to something else', // 14
    'SELECT 1; SELECT 2$$', // 15
    'DELIMITER ;', // 16
  ].join('\n');
  assert.deepEqual(splitMysql(text), [
    { sql: 'CREATE TABLE t (id INT, n INT)', lineOffset: 0 },
    {
      sql: "CREATE PROCEDURE bump(IN k INT)\nBEGIN\n  UPDATE t SET n = n + 1 WHERE id = k; -- a ';' in a comment\n  SELECT \"//\"; SELECT 'end //';\nEND",
      lineOffset: 3,
    },
    { sql: 'CREATE TRIGGER t_bi BEFORE INSERT ON t FOR EACH ROW\nBEGIN\n  IF NEW.n IS NULL THEN SET NEW.n = 0; END IF;\nEND', lineOffset: 8 },
    { sql: 'INSERT INTO t VALUES (1, NULL)', lineOffset: 13 },
    { sql: 'SELECT 1; SELECT 2', lineOffset: 15 },
  ]);
});

test('a quoted and a multi-character delimiter; DELIMITER ;; as mysqldump writes it', () => {
  assert.deepEqual(sqls("DELIMITER '$$'\nSELECT 1;$$\nDELIMITER ;;\nSELECT 2;;SELECT 3;;\nDELIMITER ;\nSELECT 4"), ['SELECT 1;', 'SELECT 2', 'SELECT 3', 'SELECT 4']);
});

test('a column named delimiter inside a statement is not a DELIMITER command', () => {
  assert.deepEqual(sqls('CREATE TABLE t (\n  delimiter VARCHAR(3)\n);\nSELECT delimiter FROM t;'), [
    'CREATE TABLE t (\n  delimiter VARCHAR(3)\n)',
    'SELECT delimiter FROM t',
  ]);
});

test('malformed DELIMITER lines are refused with their line', () => {
  for (const [text, line, why] of [
    ['SELECT 1;\nDELIMITER', 2, /no delimiter given/],
    ['DELIMITER   \nSELECT 1', 1, /no delimiter given/],
    ['\n\nDELIMITER \\\\', 3, /backslash/],
    ['DELIMITER // CREATE PROCEDURE p() SELECT 1', 1, /unexpected text/],
    ["DELIMITER '//", 1, /unterminated/],
  ] as const) {
    assert.throws(
      () => splitMysql(text),
      (e: unknown) => e instanceof BadMigrationError && e.facts.line === line && why.test(e.message),
      text,
    );
  }
});

test('line offsets count newlines inside strings, identifiers and block comments', () => {
  const text = "SELECT 'a\nb';\n/* x\ny\n*/\nSELECT \"q\n\", `c\nd`;\nSELECT 3;";
  assert.deepEqual(
    splitMysql(text).map((s) => s.lineOffset),
    [0, 5, 8],
  );
});

test('unterminated strings and comments run to the end of the text', () => {
  assert.deepEqual(sqls("SELECT 1; SELECT 'open; string"), ['SELECT 1', "SELECT 'open; string"]);
  assert.deepEqual(sqls('SELECT 1; /* open; comment'), ['SELECT 1']);
  assert.deepEqual(sqls('SELECT 1 /*! open; exec'), ['SELECT 1 /*! open; exec']);
});

test('CRLF line endings', () => {
  assert.deepEqual(splitMysql('SELECT 1;\r\nDELIMITER //\r\nSELECT 2; SELECT 3//\r\nDELIMITER ;\r\nSELECT 4;\r\n'), [
    { sql: 'SELECT 1', lineOffset: 0 },
    { sql: 'SELECT 2; SELECT 3', lineOffset: 2 },
    { sql: 'SELECT 4', lineOffset: 4 },
  ]);
});

/**
 * The PostgreSQL splitter (src/sql/split-postgres.ts) and the parse-tree check of statements that
 * cannot run in a transaction (src/sql/postgres-outside-transaction.ts). Pure: no database.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { splitPostgres, loadPostgresParser, parsePostgresSync, codePointToIndex } from '../../src/sql/split-postgres.js';
import { mustRunOutsideTransactionPostgres, outsideTransactionReason } from '../../src/sql/postgres-outside-transaction.js';
import { BadMigrationError } from '../../src/core/errors.js';

async function split(text: string): Promise<Array<[number, string]>> {
  return (await splitPostgres(text)).map((s) => [s.lineOffset, s.sql]);
}

describe('splitPostgres', () => {
  test('empty, blank, comment-only and semicolon-only text give []', async () => {
    assert.deepEqual(await split(''), []);
    assert.deepEqual(await split('  \n\t\n'), []);
    assert.deepEqual(await split('-- just a comment\n/* and /* a nested */ one */\n'), []);
    assert.deepEqual(await split(';;\n;'), []);
  });

  test('statements are trimmed of whitespace, comments and ";" with the line of their first code character', async () => {
    const text = '-- header\n\nCREATE TABLE a (id int);  -- trailing\n/* lead */ INSERT INTO a VALUES (1)\n  ;\n\n  SELECT 1 -- no semicolon\n-- end';
    assert.deepEqual(await split(text), [
      [2, 'CREATE TABLE a (id int)'],
      [3, 'INSERT INTO a VALUES (1)'],
      [6, 'SELECT 1'],
    ]);
  });

  test('comments right before the ";" or at the end are not part of the statement; "--" in a string is not a comment', async () => {
    const text = "SELECT 1 /* c; */ ;\nSELECT 2 -- x;\n;\nSELECT '--', '/*';\nSELECT 4 /* end */";
    assert.deepEqual(await split(text), [
      [0, 'SELECT 1'],
      [1, 'SELECT 2'],
      [3, "SELECT '--', '/*'"],
      [4, 'SELECT 4'],
    ]);
  });

  test('a multi-line statement keeps its inner line breaks and comments', async () => {
    const text = 'SELECT 1,\n  -- inner\n  2;\nSELECT 3;';
    assert.deepEqual(await split(text), [
      [0, 'SELECT 1,\n  -- inner\n  2'],
      [3, 'SELECT 3'],
    ]);
  });

  test('dollar-quoted function bodies with ";" inside are one statement', async () => {
    const text = [
      'CREATE FUNCTION add(a int, b int) RETURNS int AS $$',
      '  SELECT a + b;',
      '$$ LANGUAGE sql;',
      'CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS $body$',
      'BEGIN',
      "  RAISE NOTICE 'x; $$ y';",
      '  RETURN NEW;',
      'END;',
      '$body$;',
      'SELECT add(1, 2);',
    ].join('\n');
    const out = await split(text);
    assert.equal(out.length, 3);
    assert.equal(out[0]![0], 0);
    assert.match(out[0]![1], /^CREATE FUNCTION add[\s\S]*LANGUAGE sql$/);
    assert.equal(out[1]![0], 3);
    assert.match(out[1]![1], /RETURN NEW;\nEND;\n\$body\$$/);
    assert.deepEqual(out[2], [9, 'SELECT add(1, 2)']);
  });

  test('DO blocks', async () => {
    const text = "DO $$\nBEGIN\n  PERFORM 1; PERFORM 2;\nEND\n$$;\nDO LANGUAGE plpgsql $x$ BEGIN NULL; END $x$;";
    assert.deepEqual(await split(text), [
      [0, 'DO $$\nBEGIN\n  PERFORM 1; PERFORM 2;\nEND\n$$'],
      [5, 'DO LANGUAGE plpgsql $x$ BEGIN NULL; END $x$'],
    ]);
  });

  test("E'' strings with escaped quotes, standard strings with doubled quotes, quoted identifiers", async () => {
    const text = "SELECT E'it\\'s; fine';\nSELECT 'it''s; fine';\nSELECT 1 AS \"semi;colon\";";
    assert.deepEqual(await split(text), [
      [0, "SELECT E'it\\'s; fine'"],
      [1, "SELECT 'it''s; fine'"],
      [2, 'SELECT 1 AS "semi;colon"'],
    ]);
  });

  test('nested block comments hide ";" and "*/"', async () => {
    const text = '/* outer /* inner; */ still comment; */ SELECT 1;\nSELECT /* a /* b */ c; */ 2;';
    assert.deepEqual(await split(text), [
      [0, 'SELECT 1'],
      [1, 'SELECT /* a /* b */ c; */ 2'],
    ]);
  });

  test('CREATE RULE with several actions in parentheses is one statement', async () => {
    const text = 'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2));\nSELECT 1;';
    const out = await split(text);
    assert.equal(out.length, 2);
    assert.match(out[0]![1], /VALUES \(2\)\)$/);
  });

  test('multibyte characters before and inside statements (parser offsets are UTF-8 bytes)', async () => {
    const text = "-- café ☕ 😀\nSELECT 'é😀';\n/* ü */ SELECT 'ß' AS \"naïve\";\nSELECT 3;";
    assert.deepEqual(await split(text), [
      [1, "SELECT 'é😀'"],
      [2, 'SELECT \'ß\' AS "naïve"'],
      [3, 'SELECT 3'],
    ]);
  });

  test('CRLF line endings count lines right', async () => {
    assert.deepEqual(await split('SELECT 1;\r\n\r\nSELECT 2;\r\n'), [
      [0, 'SELECT 1'],
      [2, 'SELECT 2'],
    ]);
  });

  test('COPY ... FROM stdin is refused with its line; COPY from a server file and COPY TO are accepted', async () => {
    await assert.rejects(splitPostgres('CREATE TABLE t (a int);\n\nCOPY t (a) FROM stdin;\n'), (e: unknown) => {
      assert.ok(e instanceof BadMigrationError);
      assert.equal(e.code, 'BAD_MIGRATION');
      assert.equal(e.facts.line, 3);
      assert.match(e.message, /COPY \.\.\. FROM stdin/);
      assert.match(e.message, /INSERT/);
      return true;
    });
    // As pg_dump writes it: the rows follow the statement (a syntax error for the parser).
    await assert.rejects(splitPostgres('CREATE TABLE c (id int);\nCOPY c (id) FROM stdin;\n1\n2\n\\.\n'), (e: unknown) => {
      assert.ok(e instanceof BadMigrationError);
      assert.equal(e.facts.line, 2);
      assert.match(e.message, /COPY \.\.\. FROM stdin/);
      return true;
    });
    assert.equal((await split("COPY t FROM '/tmp/x.csv' WITH (FORMAT csv);")).length, 1);
    assert.equal((await split('COPY t TO stdout;')).length, 1);
  });

  test('a syntax error is a BadMigrationError with the line and column within the text', async () => {
    await assert.rejects(splitPostgres("SELECT '😀';\n\n  SELEC 2;\nSELECT 3;"), (e: unknown) => {
      assert.ok(e instanceof BadMigrationError);
      assert.equal(e.facts.line, 3);
      assert.equal(e.facts.column, 3);
      assert.match(e.message, /syntax error at or near "SELEC"/);
      assert.match(e.message, /SELEC 2;/);
      return true;
    });
    await assert.rejects(splitPostgres("SELECT 1;\nSELECT 'unterminated"), (e: unknown) => {
      assert.ok(e instanceof BadMigrationError);
      assert.equal(e.facts.line, 2);
      assert.match(e.message, /unterminated quoted string/);
      return true;
    });
  });

  test('codePointToIndex counts astral characters as one code point', () => {
    assert.equal(codePointToIndex('a😀b', 2), 3);
    assert.equal(codePointToIndex('abc', 10), 3);
  });
});

describe('mustRunOutsideTransactionPostgres (parse tree)', () => {
  const cases: Array<[string, boolean]> = [
    ['CREATE INDEX CONCURRENTLY i ON t (a)', true],
    ['CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS i ON s.t (a)', true],
    ['CREATE INDEX i ON t (a)', false],
    ['DROP INDEX CONCURRENTLY IF EXISTS i', true],
    ['DROP INDEX i', false],
    ['REINDEX INDEX CONCURRENTLY i', true],
    ['REINDEX (CONCURRENTLY) TABLE t', true],
    ['REINDEX TABLE t', false],
    ['REINDEX DATABASE', true],
    ['VACUUM', true],
    ['VACUUM (ANALYZE) t', true],
    ['ANALYZE t', false],
    ['CREATE DATABASE x', true],
    ['DROP DATABASE x', true],
    ["ALTER SYSTEM SET work_mem = '1MB'", true],
    ["CREATE TABLESPACE ts LOCATION '/x'", true],
    ['DROP TABLESPACE ts', true],
    ["ALTER TYPE e ADD VALUE 'x'", false],
    ['ALTER TABLE p DETACH PARTITION c CONCURRENTLY', true],
    ['ALTER TABLE p DETACH PARTITION c', false],
    ['ALTER DATABASE d SET TABLESPACE ts', true],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY mv', false],
    ['DISCARD ALL', true],
    ['CLUSTER', true],
    ['CLUSTER t', false],
    // Text that merely mentions the words is not fooled.
    ["SELECT 'CREATE INDEX CONCURRENTLY i ON t (a)'", false],
    ['/* VACUUM */ SELECT 1', false],
    ["COMMENT ON TABLE t IS 'run VACUUM later'", false],
  ];
  for (const [sql, expected] of cases) {
    test(`${sql} -> ${expected}`, async () => {
      const lib = await loadPostgresParser();
      const [stmt] = parsePostgresSync(sql, lib);
      assert.ok(stmt);
      assert.equal(mustRunOutsideTransactionPostgres(stmt.node), expected, outsideTransactionReason(stmt.node));
    });
  }
});

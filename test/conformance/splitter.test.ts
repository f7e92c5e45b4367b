/**
 * Splitter conformance: the behaviour every dialect's `splitStatements` shares. Dialect-specific
 * syntax ($$ bodies, DELIMITER, trigger bodies) is tested next to each splitter.
 *
 * Statement text is compared without leading comments/whitespace and without a trailing `;`
 * (dialects may differ there); `lineOffset` must be the line of the statement's first code
 * character, since core adds it to the segment's line to name the failing line in the file.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { SplitStatement } from '../../src/dialect/dialect.js';
import { dialect, dialectsUnderTest, TEST_TIMEOUT } from './conformance-kit.js';

function normal(sql: string): string {
  return sql
    .replace(/^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/)+/, '')
    .replace(/;\s*$/, '')
    .trim();
}
const view = (list: SplitStatement[]) => list.map((s) => ({ sql: normal(s.sql), lineOffset: s.lineOffset }));

// The splitter is pure: no server needed, so it never skips.
for (const { kind } of await dialectsUnderTest()) {
  describe(`Splitter conformance: ${kind}`, () => {
    const split = async (text: string) => (await dialect(kind)).splitStatements(text);

    test('empty and blank text give no statements', TEST_TIMEOUT, async () => {
      assert.deepEqual(await split(''), []);
      assert.deepEqual(await split('  \n\n\t'), []);
    });

    test('comments only give no statements', TEST_TIMEOUT, async () => {
      assert.deepEqual(await split('-- nothing to see\n/* still\n nothing */\n-- end\n'), []);
    });

    test('two simple statements, with the line offsets of their first code characters', TEST_TIMEOUT, async () => {
      const text = '-- create it\nCREATE TABLE a (id INTEGER);\n\n  INSERT INTO a (id) VALUES (1);\n';
      assert.deepEqual(view(await split(text)), [
        { sql: 'CREATE TABLE a (id INTEGER)', lineOffset: 1 },
        { sql: 'INSERT INTO a (id) VALUES (1)', lineOffset: 3 },
      ]);
    });

    test('a last statement without a semicolon is kept', TEST_TIMEOUT, async () => {
      assert.deepEqual(view(await split('SELECT 1;\nSELECT 2')), [
        { sql: 'SELECT 1', lineOffset: 0 },
        { sql: 'SELECT 2', lineOffset: 1 },
      ]);
    });

    test('a string containing ";" (and a line break) is not split', TEST_TIMEOUT, async () => {
      const text = "INSERT INTO a (s) VALUES ('x; y\nz');\nSELECT 'it''s; ok';";
      assert.deepEqual(view(await split(text)), [
        { sql: "INSERT INTO a (s) VALUES ('x; y\nz')", lineOffset: 0 },
        { sql: "SELECT 'it''s; ok'", lineOffset: 2 },
      ]);
    });

    test('";" inside comments does not split', TEST_TIMEOUT, async () => {
      const text = 'SELECT 1 /* a; b */ + 1;\nSELECT 2 -- c; d\n;';
      const got = view(await split(text));
      assert.equal(got.length, 2);
      assert.equal(got[0]!.sql, 'SELECT 1 /* a; b */ + 1');
      assert.equal(got[0]!.lineOffset, 0);
      assert.match(got[1]!.sql, /^SELECT 2( -- c; d)?$/);
      assert.equal(got[1]!.lineOffset, 1);
    });
  });
}

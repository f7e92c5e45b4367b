import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadMigrationError } from '../../src/core/errors.js';
import { parseSqlFile, parseSqlText } from '../../src/source/parse-sql-file.js';

const F = '/m/0001_x.sql';

function refused(text: string, re: RegExp, line?: number): void {
  assert.throws(
    () => parseSqlText(F, text),
    (e: unknown) => {
      assert.ok(e instanceof BadMigrationError, String(e));
      assert.equal(e.code, 'BAD_MIGRATION');
      assert.equal(e.facts.file, F);
      assert.ok(e.message.startsWith(F), e.message);
      assert.match(e.message, re);
      if (line !== undefined) assert.equal(e.facts.line, line, e.message);
      return true;
    },
  );
}

test('native: sections, 1-based lines, directives', () => {
  const p = parseSqlText(
    F,
    [
      '-- Users table.',
      '-- godwit:no-transaction',
      '-- godwit:up',
      'CREATE TABLE a (id INT);',
      '',
      'CREATE INDEX a_id ON a (id);',
      '-- godwit:down',
      '',
      'DROP TABLE a;',
      '',
    ].join('\n'),
  );
  assert.equal(p.format, 'godwit');
  assert.equal(p.transaction, false);
  assert.equal(p.phase, 'pre');
  assert.deepEqual(p.up, [{ text: 'CREATE TABLE a (id INT);\n\nCREATE INDEX a_id ON a (id);', line: 4, atomic: false }]);
  assert.deepEqual(p.down, [{ text: 'DROP TABLE a;\n', line: 9, atomic: false }]);
  assert.deepEqual(
    p.directives.map((d) => [d.name, d.args, d.line]),
    [['no-transaction', '', 2], ['up', '', 3], ['down', '', 7]],
  );
});

test('native: a file with no marker is all up; no down section means no down', () => {
  const p = parseSqlText(F, '\n\nCREATE TABLE a (id INT);\n');
  assert.deepEqual(p.up, [{ text: 'CREATE TABLE a (id INT);\n', line: 3, atomic: false }]);
  assert.equal(p.down, undefined);
  assert.equal(p.transaction, true);
});

test('native: SQL before the up marker belongs to up; SQL before a lone down marker is the up', () => {
  const p = parseSqlText(F, 'SELECT 1;\n-- godwit:up\nSELECT 2;\n');
  assert.deepEqual(p.up.map((s) => [s.text, s.line]), [['SELECT 1;', 1], ['SELECT 2;\n', 3]]);
  const q = parseSqlText(F, 'CREATE TABLE a (id INT);\n-- godwit:down\nDROP TABLE a;');
  assert.deepEqual(q.up.map((s) => s.line), [1]);
  assert.deepEqual(q.down!.map((s) => [s.text, s.line]), [['DROP TABLE a;', 3]]);
});

test('native: an empty down section is an explicit no-op down', () => {
  const p = parseSqlText(F, '-- godwit:up\nSELECT 1;\n-- godwit:down\n-- nothing to undo\n');
  assert.deepEqual(p.down, []);
});

test('phase, lint-ignore and marker spacing', () => {
  const p = parseSqlText(F, '--godwit:phase post\n--   godwit:lint-ignore PG001 table is new\n  -- godwit:up\nDROP TABLE old;\n');
  assert.equal(p.phase, 'post');
  assert.deepEqual(p.directives.map((d) => [d.name, d.args, d.line, d.file]), [
    ['phase', 'post', 1, F],
    ['lint-ignore', 'PG001 table is new', 2, F],
    ['up', '', 3, F],
  ]);
  assert.equal(p.up[0]!.line, 4);
});

test('CRLF files parse with the same lines', () => {
  const p = parseSqlFile(F, new TextEncoder().encode('-- godwit:up\r\nSELECT 1;\r\n-- godwit:down\r\nSELECT 2;\r\n'));
  assert.deepEqual(p.up, [{ text: 'SELECT 1;', line: 2, atomic: false }]);
  assert.deepEqual(p.down, [{ text: 'SELECT 2;\n', line: 4, atomic: false }]);
});

test('refusals name the file and line', () => {
  refused('-- godwit:down\nDROP TABLE a;\n-- godwit:up\nCREATE TABLE a (id INT);\n', /"-- godwit:up" comes after "-- godwit:down" \(line 1\)/, 3);
  refused('-- godwit:up\nSELECT 1;\n-- godwit:up\nSELECT 2;\n', /appears twice \(lines 1 and 3\)/, 3);
  refused('-- godwit:up\nSELECT 1;\n-- godwit:down\n-- godwit:down\n', /"-- godwit:down" appears twice/, 4);
  refused('-- godwit:up\n-- only a comment\n/* and a\n block */\n\n-- godwit:down\nDROP TABLE a;\n', /up section is empty/, 1);
  refused('', /up section is empty/, 1);
  refused('-- godwit:down\nDROP TABLE a;\n', /up section is empty/);
  refused('-- godwit:no-transation\nSELECT 1;\n', /unknown directive "-- godwit:no-transation"/, 1);
  refused('-- godwit: up\nSELECT 1;\n', /unknown directive/, 1);
  refused('SELECT 1;\n-- godwit:phase later\n', /bad phase "later"/, 2);
  refused('SELECT 1;\n-- godwit:phase\n', /bad phase ""/, 2);
  refused('-- godwit:phase pre\nSELECT 1;\n-- godwit:phase post\n', /contradicts phase "pre" on line 1/, 3);
  refused('-- godwit:up now\nSELECT 1;\n', /takes no arguments/, 1);
  refused('-- godwit:lint-ignore\nSELECT 1;\n', /needs a rule code and a reason/, 1);
  refused('-- godwit:up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n', /mixes godwit markers \(line 1\) with goose markers \(line 3\)/, 3);
});

test('non-UTF-8 content is refused with the file named', () => {
  assert.throws(() => parseSqlFile(F, Uint8Array.from([0x53, 0x45, 0x4c, 0x0a, 0xff])), (e: unknown) => e instanceof BadMigrationError && e.facts.file === F && e.facts.line === 2);
});

test('a trailing comment on a SQL line is not a directive', () => {
  const p = parseSqlText(F, 'SELECT 1; -- godwit:down\n');
  assert.equal(p.down, undefined);
  assert.deepEqual(p.directives, []);
});

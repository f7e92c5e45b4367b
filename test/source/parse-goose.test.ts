import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadMigrationError } from '../../src/core/errors.js';
import { parseSqlText } from '../../src/source/parse-sql-file.js';

const F = '/m/00001_x.sql';

function refused(text: string, re: RegExp, line?: number): void {
  assert.throws(
    () => parseSqlText(F, text),
    (e: unknown) => {
      assert.ok(e instanceof BadMigrationError, String(e));
      assert.equal(e.facts.file, F);
      assert.match(e.message, re);
      if (line !== undefined) assert.equal(e.facts.line, line, e.message);
      return true;
    },
  );
}

test('goose: up/down, StatementBegin/End blocks become atomic segments with their lines', () => {
  const text = [
    '-- a comment before Up is fine', // 1
    '-- +goose Up', // 2
    'CREATE TABLE a (id INT);', // 3
    '-- +goose StatementBegin', // 4
    'CREATE FUNCTION f() RETURNS int AS $$', // 5
    'BEGIN RETURN 1; END;', // 6
    '$$ LANGUAGE plpgsql;', // 7
    '-- +goose StatementEnd', // 8
    'CREATE INDEX a_id ON a (id);', // 9
    '', // 10
    '-- +goose Down', // 11
    '-- +goose StatementBegin', // 12
    'DROP FUNCTION f();', // 13
    '-- +goose StatementEnd', // 14
    'DROP TABLE a;', // 15
  ].join('\n');
  const p = parseSqlText(F, text);
  assert.equal(p.format, 'goose');
  assert.equal(p.transaction, true);
  assert.deepEqual(p.up, [
    { text: 'CREATE TABLE a (id INT);', line: 3, atomic: false },
    { text: 'CREATE FUNCTION f() RETURNS int AS $$\nBEGIN RETURN 1; END;\n$$ LANGUAGE plpgsql;', line: 5, atomic: true },
    { text: 'CREATE INDEX a_id ON a (id);\n', line: 9, atomic: false },
  ]);
  assert.deepEqual(p.down, [
    { text: 'DROP FUNCTION f();', line: 13, atomic: true },
    { text: 'DROP TABLE a;', line: 15, atomic: false },
  ]);
});

test('goose: annotations are case-insensitive; NO TRANSACTION; godwit directives work too', () => {
  const p = parseSqlText(F, '-- +goose NO TRANSACTION\n-- godwit:phase post\n-- +goose up\nCREATE INDEX CONCURRENTLY i ON a (id);\n-- +goose down\nDROP INDEX i;\n');
  assert.equal(p.transaction, false);
  assert.equal(p.phase, 'post');
  assert.equal(p.up[0]!.line, 4);
  assert.equal(p.down![0]!.line, 6);
  assert.deepEqual(p.directives.map((d) => d.name), ['phase']);
});

test('goose: no Down section means no down; an empty one is a no-op down', () => {
  assert.equal(parseSqlText(F, '-- +goose Up\nSELECT 1;\n').down, undefined);
  assert.deepEqual(parseSqlText(F, '-- +goose Up\nSELECT 1;\n-- +goose Down\n').down, []);
});

test('goose refusals', () => {
  refused('SELECT 0;\n-- +goose Up\nSELECT 1;\n', /SQL before "-- \+goose Up"/, 2);
  refused('-- +goose Down\nSELECT 1;\n-- +goose Up\nSELECT 2;\n', /"-- \+goose Down" comes before "-- \+goose Up"/, 1);
  refused('-- +goose Up\nSELECT 1;\n-- +goose Down\nSELECT 2;\n-- +goose Up\n', /comes after "-- \+goose Down" \(line 3\)/, 5);
  refused('-- +goose Up\nSELECT 1;\n-- +goose Up\n', /appears twice/, 3);
  refused('-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n', /StatementBegin" has no "-- \+goose StatementEnd"/, 2);
  refused('-- +goose Up\n-- +goose StatementBegin\nSELECT 1;\n-- +goose Down\n-- +goose StatementEnd\n', /inside the StatementBegin block of line 2/, 4);
  refused('-- +goose Up\nSELECT 1;\n-- +goose StatementEnd\n', /without a "-- \+goose StatementBegin"/, 3);
  refused('-- +goose Up\n-- +goose StatementBegin\n-- +goose StatementBegin\n', /inside the block opened on line 2/, 3);
  refused('-- +goose Up\n-- only comments\n-- +goose Down\nSELECT 1;\n', /up section is empty/, 1);
  refused('-- +goose Up\n-- +goose ENVSUB ON\nSELECT ${X};\n', /not supported/, 2);
  refused('-- +goose Up\n-- +goose StatmentBegin\n', /unknown goose annotation/, 2);
  refused('-- +goose NO TRANSACTION\nSELECT 1;\n', /SQL before "-- \+goose Up"|needs a "-- \+goose Up"/);
  refused('-- +goose NO TRANSACTION\n', /needs a "-- \+goose Up"/);
  refused('-- +goose Up\nSELECT 1;\n-- godwit:up\n', /mixes goose markers \(line 1\) with godwit markers \(line 3\)/, 3);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadMigrationError } from '../../src/core/errors.js';
import { parseSqlText } from '../../src/source/parse-sql-file.js';

const F = '/m/20240101120000_x.sql';

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

test('dbmate: up and down sections with lines', () => {
  const p = parseSqlText(F, '-- header\n-- migrate:up\nCREATE TABLE a (id INT);\n\n-- migrate:down\nDROP TABLE a;\n');
  assert.equal(p.format, 'dbmate');
  assert.equal(p.transaction, true);
  assert.equal(p.downTransaction, undefined);
  assert.deepEqual(p.up, [{ text: 'CREATE TABLE a (id INT);\n', line: 3, atomic: false }]);
  assert.deepEqual(p.down, [{ text: 'DROP TABLE a;\n', line: 6, atomic: false }]);
});

test('dbmate: transaction:false per direction', () => {
  const both = parseSqlText(F, '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON a (id);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n');
  assert.equal(both.transaction, false);
  assert.equal(both.downTransaction, undefined, 'same as up: not repeated');
  const upOnly = parseSqlText(F, '-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON a (id);\n-- migrate:down\nDROP INDEX i;\n');
  assert.equal(upOnly.transaction, false);
  assert.equal(upOnly.downTransaction, true);
  const downOnly = parseSqlText(F, '-- migrate:up\nCREATE INDEX i ON a (id);\n-- migrate:down transaction:false\nDROP INDEX CONCURRENTLY i;\n');
  assert.equal(downOnly.transaction, true);
  assert.equal(downOnly.downTransaction, false);
  const godwit = parseSqlText(F, '-- godwit:no-transaction\n-- migrate:up\nSELECT 1;\n-- migrate:down\nSELECT 2;\n');
  assert.equal(godwit.transaction, false);
  assert.equal(godwit.downTransaction, undefined);
});

test('dbmate refusals', () => {
  refused('SELECT 0;\n-- migrate:up\nSELECT 1;\n', /SQL before "-- migrate:up"/, 2);
  refused('-- migrate:down\nSELECT 1;\n-- migrate:up\nSELECT 2;\n', /"-- migrate:down" comes before "-- migrate:up"/, 1);
  refused('-- migrate:up\nSELECT 1;\n-- migrate:up\n', /appears twice/, 3);
  refused('-- migrate:up\nSELECT 1;\n-- migrate:down\n-- migrate:down\n', /"-- migrate:down" appears twice/, 4);
  refused('-- migrate:up\n\n-- migrate:down\nDROP TABLE a;\n', /up section is empty/, 1);
  refused('-- migrate:up transaction:no\nSELECT 1;\n', /bad value "no"/, 1);
  refused('-- migrate:up transacton:false\nSELECT 1;\n', /unknown dbmate option "transacton"/, 1);
  refused('-- migrate:up\nSELECT 1;\n-- migrate:dwn\n', /unknown dbmate marker/, 3);
  refused('-- migrate:up\nSELECT 1;\n-- +goose Down\n', /mixes dbmate markers \(line 1\) with goose markers \(line 3\)/, 3);
});

test('a native file with a "-- migrate: ..." prose comment is not a dbmate file', () => {
  const p = parseSqlText(F, '-- migrate: users move to the new table\n-- migrate:later maybe\nSELECT 1;\n');
  assert.equal(p.format, 'godwit');
});

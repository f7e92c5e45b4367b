import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadMigrationError } from '../../src/core/errors.js';
import { parseSqlPair } from '../../src/source/parse-sql-file.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const UP = '/m/1_x.up.sql';
const DOWN = '/m/1_x.down.sql';

test('golang-migrate pair: plain SQL halves with lines; markers of other tools are just comments', () => {
  const p = parseSqlPair({ file: UP, bytes: enc('\n-- godwit:phase post\nCREATE TABLE a (id INT);\n') }, { file: DOWN, bytes: enc('-- +goose Down\nDROP TABLE a;\n') });
  assert.equal(p.format, 'golang-migrate');
  assert.deepEqual(p.up, [{ text: '-- godwit:phase post\nCREATE TABLE a (id INT);\n', line: 2, atomic: false }]);
  assert.deepEqual(p.down, [{ text: '-- +goose Down\nDROP TABLE a;\n', line: 1, atomic: false }]);
  assert.equal(p.phase, 'post');
  assert.deepEqual(p.directives.map((d) => [d.name, d.file, d.line]), [['phase', UP, 2]]);
});

test('golang-migrate pair: no down file, an empty down file, no-transaction per half', () => {
  assert.equal(parseSqlPair({ file: UP, bytes: enc('SELECT 1;') }).down, undefined);
  assert.deepEqual(parseSqlPair({ file: UP, bytes: enc('SELECT 1;') }, { file: DOWN, bytes: enc('') }).down, []);
  const d = parseSqlPair({ file: UP, bytes: enc('SELECT 1;') }, { file: DOWN, bytes: enc('-- godwit:no-transaction\nDROP INDEX CONCURRENTLY i;') });
  assert.equal(d.transaction, true);
  assert.equal(d.downTransaction, false);
  const u = parseSqlPair({ file: UP, bytes: enc('-- godwit:no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);') }, { file: DOWN, bytes: enc('DROP INDEX i;') });
  assert.equal(u.transaction, false);
  assert.equal(u.downTransaction, undefined, 'the up file\'s no-transaction covers the pair');
});

test('golang-migrate refusals name the right half', () => {
  const refused = (fn: () => unknown, file: string, re: RegExp): void => {
    assert.throws(fn, (e: unknown) => e instanceof BadMigrationError && e.facts.file === file && re.test(e.message) && e.message.startsWith(file));
  };
  refused(() => parseSqlPair({ file: UP, bytes: enc('-- nothing\n') }), UP, /up section is empty/);
  refused(() => parseSqlPair({ file: UP, bytes: enc('-- godwit:up\nSELECT 1;') }), UP, /no place in a golang-migrate \.up\.sql/);
  refused(() => parseSqlPair({ file: UP, bytes: enc('SELECT 1;') }, { file: DOWN, bytes: enc('-- godwit:phase post\n') }), DOWN, /belongs in the \.up\.sql/);
  refused(() => parseSqlPair({ file: UP, bytes: enc('SELECT 1;') }, { file: DOWN, bytes: Uint8Array.from([0xc3]) }), DOWN, /not valid UTF-8/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isMigrationCandidate, parseMigrationFileName } from '../../src/source/naming.js';

test('native, goose, dbmate and golang-migrate names parse', () => {
  assert.deepEqual(parseMigrationFileName('0001_create_users.sql'), {
    ok: true, fileName: '0001_create_users.sql', version: 1, versionText: '0001', name: 'create_users', kind: 'single', ext: 'sql',
  });
  const goose = parseMigrationFileName('00001_x.sql');
  assert.ok(goose.ok && goose.version === 1 && goose.kind === 'single');
  const dbmate = parseMigrationFileName('20151129054053_add_posts.sql');
  assert.ok(dbmate.ok && dbmate.version === 20151129054053 && dbmate.name === 'add_posts');
  const up = parseMigrationFileName('1_x.up.sql');
  assert.ok(up.ok && up.kind === 'up' && up.name === 'x' && up.version === 1);
  const down = parseMigrationFileName('000001_create-users.v2.down.sql');
  assert.ok(down.ok && down.kind === 'down' && down.name === 'create-users.v2');
});

test('code migrations: .ts .mts .js .mjs', () => {
  for (const ext of ['ts', 'mts', 'js', 'mjs'] as const) {
    const r = parseMigrationFileName(`0007_seed_data.${ext}`);
    assert.ok(r.ok, ext);
    assert.equal(r.kind, 'code');
    assert.equal(r.ext, ext);
  }
});

test('which files are considered', () => {
  for (const f of ['0001_a.sql', 'a.sql', '1_a.up.sql', '1_x.ts', '1_x.mjs', '1_x.js', '1_x.mts', 'helper.ts']) assert.ok(isMigrationCandidate(f), f);
  for (const f of ['.0001_a.sql', '.DS_Store', 'README.md', 'godwit.sum', '0001_a.d.ts', '0001_a.d.mts', 'notes.txt', '0001_a.sql.bak', '0001_a.json']) {
    assert.ok(!isMigrationCandidate(f), f);
  }
});

test('refusals say why', () => {
  const cases: [string, RegExp][] = [
    ['create_users.sql', /version .* must come first/],
    ['0001.sql', /name is missing/],
    ['0001_.sql', /empty/],
    ['0001_has space.sql', /may only contain/],
    ['v1_x.sql', /must come first/],
    ['0000_x.sql', /at least 1/],
    ['9007199254740992_x.sql', /larger than 9007199254740991/],
    ['99999999999999999999_x.sql', /larger than/],
    ['1_x.up.ts', /pairs are \.sql only/],
    ['README.md', /not a migration file/],
  ];
  for (const [name, re] of cases) {
    const r = parseMigrationFileName(name);
    assert.equal(r.ok, false, name);
    if (!r.ok) assert.match(r.reason, re, name);
  }
});

test('the largest safe version parses; versions are decimal with leading zeros ignored', () => {
  const r = parseMigrationFileName('9007199254740991_max.sql');
  assert.ok(r.ok && r.version === Number.MAX_SAFE_INTEGER);
  const z = parseMigrationFileName('000000000010_ten.sql');
  assert.ok(z.ok && z.version === 10 && z.versionText === '000000000010');
});

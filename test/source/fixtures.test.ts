/** The format fixtures describe one schema: their up and down SQL is the same, statement for statement. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { createFsSource } from '../../src/source/fs/fs-source.js';
import { loadAllMigrations } from '../../src/source/load-all.js';
import type { LoadedMigration, MigrationBody } from '../../src/source/migration.js';

const FORMATS = resolve(import.meta.dirname, '../fixtures/formats');

function sqlOf(body: MigrationBody | undefined): string {
  assert.ok(body && body.kind === 'sql');
  return body.segments
    .map((s) => s.text)
    .join('\n')
    .replace(/--[^\n]*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

async function load(name: string): Promise<LoadedMigration[]> {
  return loadAllMigrations(createFsSource(join(FORMATS, name)));
}

test('godwit, golang-migrate, goose and dbmate fixtures hold the same three migrations', async () => {
  const native = await load('godwit');
  assert.deepEqual(native.map((m) => m.ref.name), ['create_users', 'add_users_display_name', 'create_posts']);
  for (const name of ['golang-migrate', 'goose', 'dbmate']) {
    const other = await load(name);
    assert.deepEqual(other.map((m) => m.ref.format), [name, name, name]);
    assert.deepEqual(other.map((m) => m.ref.name), native.map((m) => m.ref.name), name);
    for (let i = 0; i < 3; i++) {
      assert.equal(sqlOf(other[i]!.up), sqlOf(native[i]!.up), `${name} #${i + 1} up`);
      assert.equal(sqlOf(other[i]!.down), sqlOf(native[i]!.down), `${name} #${i + 1} down`);
    }
  }
  const goose = await load('goose');
  assert.ok(goose[2]!.up.kind === 'sql' && goose[2]!.up.segments.some((s) => s.atomic), 'the goose fixture exercises StatementBegin/End');
});

test('the mixed fixture mixes formats and ignores its README', async () => {
  const mixed = await load('mixed');
  assert.deepEqual(mixed.map((m) => m.ref.format), ['golang-migrate', 'code', 'dbmate']);
  assert.ok(mixed.every((m) => m.down !== undefined));
});

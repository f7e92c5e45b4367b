import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { BadMigrationError, ConfigError } from '../../src/core/errors.js';
import { createFsSource } from '../../src/source/fs/fs-source.js';
import { loadAllMigrations } from '../../src/source/load-all.js';
import { checksumOf } from '../../src/source/checksum.js';
import { tempFolder } from './temp-folder.js';

const FIXTURES = resolve(import.meta.dirname, '../fixtures');

async function listError(dir: string): Promise<BadMigrationError> {
  try {
    await createFsSource(dir).list();
  } catch (e) {
    assert.ok(e instanceof BadMigrationError, String(e));
    return e;
  }
  assert.fail('list() accepted the folder');
}

test('list: numeric order, absolute paths, pairs, ignored files', async () => {
  const dir = tempFolder({
    '10_ten.sql': 'SELECT 10;',
    '9_nine.sql': 'SELECT 9;',
    '100_hundred.up.sql': 'SELECT 100;',
    '100_hundred.down.sql': 'SELECT -100;',
    '0002_code.ts': 'export async function up() {}',
    'README.md': '# notes',
    '.DS_Store': 'x',
    'godwit.sum': 'whatever',
    '0003_types.d.ts': 'export {};',
    'seed.json': '{}',
  });
  mkdirSync(join(dir, '0004_a_folder.sql'));
  const refs = await createFsSource(dir).list();
  assert.deepEqual(
    refs.map((r) => [r.version, r.name, r.id, r.format]),
    [
      [2, 'code', '0002_code.ts', 'code'],
      [9, 'nine', '9_nine.sql', 'godwit'],
      [10, 'ten', '10_ten.sql', 'godwit'],
      [100, 'hundred', '100_hundred.up.sql', 'golang-migrate'],
    ],
  );
  assert.equal(refs[3]!.upFile, join(dir, '100_hundred.up.sql'));
  assert.equal(refs[3]!.downFile, join(dir, '100_hundred.down.sql'));
  assert.equal(refs[0]!.downFile, undefined);
});

test('list refuses two files with one version, naming both', async () => {
  const dir = tempFolder({ '1_a.sql': 'SELECT 1;', '01_b.sql': 'SELECT 1;', '2_c.sql': 'SELECT 2;' });
  const e = await listError(dir);
  assert.match(e.message, /two or more files have version 1/);
  assert.ok(e.message.includes(join(dir, '1_a.sql')) && e.message.includes(join(dir, '01_b.sql')), e.message);
  const pairs: Record<string, string>[] = [{ '1_a.up.sql': 'x', '1_a.sql': 'y' }, { '1_a.up.sql': 'x', '1_b.up.sql': 'y' }, { '1_a.ts': 'x', '1_a.sql': 'y' }];
  for (const pair of pairs) {
    assert.match((await listError(tempFolder(pair))).message, /two or more files have version 1/);
  }
});

test('list refuses a .down.sql without its .up.sql, and pair halves with different names', async () => {
  const dir = tempFolder({ '1_a.sql': 'SELECT 1;', '2_b.down.sql': 'SELECT 2;' });
  const e = await listError(dir);
  assert.match(e.message, /\.down\.sql without its \.up\.sql/);
  assert.equal(e.facts.file, join(dir, '2_b.down.sql'));
  assert.match(e.message, /Add 2_b\.up\.sql/);
  const m = await listError(tempFolder({ '3_a.up.sql': 'x', '3_b.down.sql': 'y' }));
  assert.match(m.message, /different names \("a" and "b"\)/);
});

test('list refuses unparsable names and reports every problem at once', async () => {
  const dir = tempFolder({ 'create_users.sql': 'x', '0001_.sql': 'y', '5_x.sql': 'z', '05_y.sql': 'w', 'helpers.ts': '' });
  const e = await listError(dir);
  assert.match(e.message, /^4 problems with migration file names/);
  for (const f of ['create_users.sql', '0001_.sql', 'helpers.ts', '05_y.sql']) assert.ok(e.message.includes(join(dir, f)), `${f} named`);
  assert.match(e.message, /file name does not parse/);
});

test('a missing folder is a ConfigError naming the absolute path', async () => {
  const dir = join(tempFolder(), 'nope');
  await assert.rejects(createFsSource(dir).list(), (e: unknown) => e instanceof ConfigError && e.code === 'CONFIG' && e.message.includes(dir) && /not found/.test(e.message));
  const file = join(tempFolder({ 'f.txt': '' }), 'f.txt');
  await assert.rejects(createFsSource(file).list(), (e: unknown) => e instanceof ConfigError && /is not a folder/.test(e.message));
  const rel = createFsSource('some/relative/dir');
  assert.equal(rel.dir, resolve('some/relative/dir'));
});

test('list reads names only: a dangling link lists, and fails only when loaded', async () => {
  const dir = tempFolder({ '1_a.sql': 'SELECT 1;' });
  symlinkSync(join(dir, 'missing-target.sql'), join(dir, '2_b.sql'));
  const src = createFsSource(dir);
  const refs = await src.list();
  assert.equal(refs.length, 2);
  await src.load(refs[0]!);
  await assert.rejects(src.load(refs[1]!), (e: unknown) => e instanceof BadMigrationError && e.facts.file === join(dir, '2_b.sql') && /cannot read/.test(e.message));
});

test('load: detected format, checksums (pairs: the up file only), cheap checksum path agrees', async () => {
  const up = 'CREATE TABLE a (id INT);\r\n';
  const dir = tempFolder({
    '1_a.up.sql': up,
    '1_a.down.sql': '-- godwit:no-transaction\nDROP TABLE a;\n',
    '2_b.sql': '-- +goose Up\nSELECT 1;\n',
    '3_c.sql': '-- migrate:up\nSELECT 1;\n',
    '4_d.sql': 'SELECT 1;\n',
    '5_e.up.sql': 'SELECT 5;\n',
  });
  const src = createFsSource(dir);
  const refs = await src.list();
  const loaded = await loadAllMigrations(src, { refs });
  assert.deepEqual(loaded.map((m) => m.ref.format), ['golang-migrate', 'goose', 'dbmate', 'godwit', 'golang-migrate']);
  const pair = loaded[0]!;
  assert.equal(pair.checksum, checksumOf('CREATE TABLE a (id INT);\n'));
  assert.equal(pair.transaction, true);
  assert.equal(pair.downTransaction, false);
  assert.equal(pair.up.file, join(dir, '1_a.up.sql'));
  assert.equal(pair.down?.file, join(dir, '1_a.down.sql'));
  assert.deepEqual(pair.down?.kind === 'sql' && pair.down.segments.map((s) => s.line), [1]);
  assert.equal(loaded[4]!.down, undefined, 'an up half alone has no down');
  for (let i = 0; i < refs.length; i++) assert.equal(await src.checksum(refs[i]!), loaded[i]!.checksum);
});

test('loadAllMigrations gathers every malformed file into one error', async () => {
  const dir = tempFolder({
    '1_ok.sql': 'SELECT 1;',
    '2_order.sql': '-- godwit:down\nSELECT 1;\n-- godwit:up\nSELECT 2;\n',
    '3_empty.sql': '-- godwit:up\n\n',
    '4_bytes.sql': Uint8Array.from([0x53, 0xff]),
  });
  await assert.rejects(loadAllMigrations(createFsSource(dir)), (e: unknown) => {
    assert.ok(e instanceof BadMigrationError);
    assert.match(e.message, /^3 migration files are malformed/);
    for (const f of ['2_order.sql', '3_empty.sql', '4_bytes.sql']) assert.ok(e.message.includes(join(dir, f)), f);
    assert.equal(e.facts.file, join(dir, '2_order.sql'));
    assert.equal((e.facts.problems as unknown[]).length, 3);
    return true;
  });
  const one = tempFolder({ '1_ok.sql': 'SELECT 1;', '2_empty.sql': '   \n' });
  await assert.rejects(loadAllMigrations(createFsSource(one)), (e: unknown) => e instanceof BadMigrationError && e.facts.file === join(one, '2_empty.sql') && /^\//.test(e.message));
});

test('bad-input fixtures are refused with the bad file named', async () => {
  const cases: [string, RegExp, string][] = [
    ['duplicate-version', /two or more files have version 2/, '02_add_users_display_name.sql'],
    ['bad-name', /file name does not parse/, 'add_users_display_name.sql'],
    ['marker-order', /comes after "-- godwit:down"/, '0002_add_users_display_name.sql'],
    ['empty-up', /up section is empty/, '0002_add_users_display_name.sql'],
    ['orphan-down', /without its \.up\.sql/, '0002_add_users_display_name.down.sql'],
    ['non-utf8', /not valid UTF-8/, '0002_add_users_display_name.sql'],
  ];
  for (const [name, re, file] of cases) {
    const dir = join(FIXTURES, 'bad', name);
    await assert.rejects(loadAllMigrations(createFsSource(dir)), (e: unknown) => {
      assert.ok(e instanceof BadMigrationError, `${name}: ${String(e)}`);
      assert.match(e.message, re, name);
      assert.ok(e.message.includes(join(dir, file)), `${name}: ${e.message}`);
      return true;
    });
  }
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadMigrationError, ConfigError } from '../../src/core/errors.js';
import { planNewMigration, sanitizeMigrationName, formatTimestamp } from '../../src/source/new-migration.js';
import { parseSqlText } from '../../src/source/parse-sql-file.js';
import { scanCodeMigration } from '../../src/source/code-migration.js';
import { parseMigrationFileName } from '../../src/source/naming.js';

const NOW = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));

test('names become snake_case', () => {
  const cases: [string, string][] = [
    ['create users', 'create_users'],
    ['AddUserEmail', 'add_user_email'],
    ['add-user-email', 'add_user_email'],
    ['  Drop   OLD table!! ', 'drop_old_table'],
    ['HTMLParserCache', 'html_parser_cache'],
    ['add_v2Column', 'add_v2_column'],
    ['café crème', 'cafe_creme'],
    ['__x__', 'x'],
  ];
  for (const [raw, want] of cases) assert.equal(sanitizeMigrationName(raw), want, raw);
  assert.throws(() => sanitizeMigrationName(' -- '), ConfigError);
});

test('seq: newest + 1, padded like the folder; 4 digits in an empty folder', () => {
  assert.equal(planNewMigration([], 'create users').fileName, '0001_create_users.sql');
  assert.equal(planNewMigration(['0009_a.sql', '0002_b.up.sql', 'README.md', 'godwit.sum'], 'x').fileName, '0010_x.sql');
  assert.equal(planNewMigration(['1_a.up.sql', '1_a.down.sql'], 'x').fileName, '2_x.sql');
  assert.equal(planNewMigration(['00001_a.sql', '00002_b.sql'], 'x', { numbering: 'seq' }).fileName, '00003_x.sql');
  assert.equal(planNewMigration(['9999_a.sql'], 'x').fileName, '10000_x.sql');
  assert.equal(planNewMigration(['0001_a.sql', 'not a migration.sql', 'notes.txt'], 'x').version, 2);
});

test('timestamp: UTC YYYYMMDDHHMMSS, bumped past collisions and the newest version', () => {
  assert.equal(formatTimestamp(NOW), '20250102030405');
  assert.equal(planNewMigration(['0001_a.sql'], 'x', { numbering: 'timestamp', now: NOW }).fileName, '20250102030405_x.sql');
  assert.equal(planNewMigration(['20250102030405_a.sql'], 'x', { numbering: 'timestamp', now: NOW }).fileName, '20250102030406_x.sql');
  assert.equal(planNewMigration(['20300101000000_future.sql'], 'x', { numbering: 'timestamp', now: NOW }).version, 20300101000001);
  // Following the folder: timestamps when the newest version is one.
  assert.equal(planNewMigration(['20240101120000_a.sql'], 'x', { now: NOW }).fileName, '20250102030405_x.sql');
  assert.equal(planNewMigration(['20240101120000_a.sql'], 'x', { numbering: 'seq' }).fileName, '20240101120001_x.sql');
});

test('the SQL template is the native format and is refused until SQL is written', () => {
  const m = planNewMigration([], 'create users');
  assert.ok(parseMigrationFileName(m.fileName).ok);
  assert.match(m.content, /^-- godwit:up\n/m);
  assert.match(m.content, /^-- godwit:down$/m);
  assert.throws(() => parseSqlText(m.fileName, m.content), (e: unknown) => e instanceof BadMigrationError && /up section is empty/.test(e.message));
  const written = m.content.replace('-- godwit:down', 'CREATE TABLE users (id INTEGER PRIMARY KEY);\n-- godwit:down') + 'DROP TABLE users;\n';
  const p = parseSqlText(m.fileName, written);
  assert.equal(p.format, 'godwit');
  assert.equal(p.up.length, 1);
  assert.equal(p.down!.length, 1);
  assert.deepEqual(p.directives.map((d) => d.name), ['up', 'down'], 'the hints in the template are not directives');
});

test('the .ts template is a typed code migration with up and down', () => {
  const m = planNewMigration(['0001_a.sql'], 'seed data', { ext: 'ts' });
  assert.equal(m.fileName, '0002_seed_data.ts');
  assert.match(m.content, /import type \{ MigrationContext \} from 'godwit';/);
  assert.match(m.content, /export async function up\(ctx: MigrationContext\): Promise<void>/);
  const info = scanCodeMigration(m.fileName, m.content);
  assert.equal(info.hasDown, true);
  assert.deepEqual(info.directives, []);
});

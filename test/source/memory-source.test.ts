import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadMigrationError } from '../../src/core/errors.js';
import { checksumOf } from '../../src/source/checksum.js';
import { createMemorySource, type MemoryMigration } from '../../src/source/memory/memory-source.js';
import type { MigrationContext } from '../../src/source/migration.js';

test('memory source: sorted refs, SQL and code bodies, checksums', async () => {
  const seed = async (ctx: MigrationContext): Promise<void> => {
    await ctx.exec("INSERT INTO users (id, email) VALUES (1, 'a@example.com')");
  };
  const src = createMemorySource([
    { version: 2, name: 'seed', up: seed, transaction: false },
    { version: 1, name: 'create_users', up: 'CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255));\r\n', down: 'DROP TABLE users;' },
    { version: 3, name: 'drop_old', up: '-- godwit:phase post\n-- godwit:lint-ignore PG002 unused since v2\nDROP TABLE old;', phase: undefined },
  ]);
  const refs = await src.list();
  assert.deepEqual(refs.map((r) => [r.version, r.id, r.format, r.upFile]), [
    [1, '1_create_users', 'godwit', 'memory:1_create_users'],
    [2, '2_seed', 'code', 'memory:2_seed'],
    [3, '3_drop_old', 'godwit', 'memory:3_drop_old'],
  ]);
  const [a, b, c] = await Promise.all(refs.map((r) => src.load(r)));
  assert.ok(a && b && c);
  assert.equal(a.checksum, checksumOf('CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255));\n'));
  assert.deepEqual(a.up.kind === 'sql' && a.up.segments, [{ text: 'CREATE TABLE users (id INTEGER PRIMARY KEY, email VARCHAR(255));\n', line: 1, atomic: false }]);
  assert.equal(a.down?.kind, 'sql');
  assert.equal(a.transaction, true);
  assert.equal(b.checksum, checksumOf(seed.toString()));
  assert.equal(b.transaction, false);
  assert.equal(b.up.kind === 'code' && b.up.run, seed);
  assert.equal(b.down, undefined);
  assert.equal(c.phase, 'post');
  assert.deepEqual(c.directives.map((d) => [d.name, d.file, d.line]), [['phase', 'memory:3_drop_old', 1], ['lint-ignore', 'memory:3_drop_old', 2]]);
  assert.equal(await src.checksum!(refs[0]!), a.checksum);
});

test('explicit options win over SQL directives', async () => {
  const src = createMemorySource([{ version: 1, name: 'x', up: '-- godwit:no-transaction\n-- godwit:phase post\nSELECT 1;', transaction: true, phase: 'pre' }]);
  const m = await src.load((await src.list())[0]!);
  assert.equal(m.transaction, true);
  assert.equal(m.phase, 'pre');
});

test('memory source refusals', () => {
  const bad: [unknown, RegExp][] = [
    [[{ version: 1, name: 'a', up: 'SELECT 1' }, { version: 1, name: 'b', up: 'SELECT 2' }], /1_a and 1_b have the same version 1/],
    [[{ version: 0, name: 'a', up: 'SELECT 1' }], /version must be a whole number/],
    [[{ version: 1.5, name: 'a', up: 'SELECT 1' }], /version must be a whole number/],
    [[{ version: Number.MAX_SAFE_INTEGER + 1, name: 'a', up: 'SELECT 1' }], /version must be a whole number/],
    [[{ version: '1', name: 'a', up: 'SELECT 1' }], /version must be a whole number/],
    [[{ version: 1, name: '', up: 'SELECT 1' }], /name must be a non-empty string/],
    [[{ version: 1, name: 'a', up: '  -- nothing\n' }], /up SQL is empty/],
    [[{ version: 1, name: 'a' }], /up must be SQL text or a function/],
    [[{ version: 1, name: 'a', up: 'SELECT 1', down: 3 }], /down must be SQL text or a function/],
    [[{ version: 1, name: 'a', up: 'SELECT 1', phase: 'later' }], /phase must be "pre" or "post"/],
    [[{ version: 1, name: 'a', up: '-- godwit:up\nSELECT 1' }], /separate fields/],
    [[{ version: 1, name: 'a', up: '-- godwit:notx\nSELECT 1' }], /unknown directive/],
    ['not an array', /must be an array/],
  ];
  for (const [defs, re] of bad) {
    assert.throws(() => createMemorySource(defs as MemoryMigration[]), (e: unknown) => e instanceof BadMigrationError && re.test(e.message), JSON.stringify(defs));
  }
});

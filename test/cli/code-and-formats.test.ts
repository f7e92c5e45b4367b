/**
 * Code migrations (.ts without a build step, .mjs) and the peer formats (golang-migrate, goose,
 * dbmate) applying to the same schema as the native format, on every dialect.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';
import { columnNames, count, historyRows, tableExists } from '../helpers/inspect.js';

const FORMATS = ['godwit', 'golang-migrate', 'goose', 'dbmate', 'mixed'] as const;

async function schemaOf(db: TestDb): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of ['users', 'posts']) out[t] = (await tableExists(db, t)) ? await columnNames(db, t) : [];
  return out;
}

for (const kind of ALL_KINDS) {
  describe(`formats on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const dbs: TestDb[] = [];
    after(async () => {
      for (const d of dbs) await d.drop();
    });

    test('every peer format folder applies to the same schema as the native one, and reverts fully', opts, async () => {
      const schemas: Record<string, Record<string, string[]>> = {};
      for (const f of FORMATS) {
        const db = await createTestDb(kind);
        dbs.push(db);
        const dir = join(ROOT, 'test/fixtures/formats', f);
        const r = await runCli(['--database', db.url, '--dir', dir, 'up']);
        assert.equal(r.code, 0, `${f}: ${r.stderr}`);
        schemas[f] = await schemaOf(db);
        assert.equal((await historyRows(db)).length, 3, f);
        const d = await runCli(['--database', db.url, '--dir', dir, 'down', '--all']);
        assert.equal(d.code, 0, `${f}: ${d.stderr}`);
        assert.deepEqual(await schemaOf(db), { users: [], posts: [] }, `${f} down --all`);
      }
      assert.ok(schemas.godwit!.users!.length > 0);
      for (const f of FORMATS) assert.deepEqual(schemas[f], schemas.godwit, `${f} matches the native schema`);
    });

    test('code migrations: .ts loads without a build step and runs inside the migration transaction', opts, async () => {
      const db = await createTestDb(kind);
      dbs.push(db);
      const dir = tempDir({
        '0001_items.sql': 'CREATE TABLE items (id INTEGER PRIMARY KEY, label VARCHAR(20) NOT NULL);\n-- godwit:down\nDROP TABLE items;\n',
        '0002_seed.ts': `import type { MigrationContext } from 'godwit';
const rows: Array<[number, string]> = [[1, 'one'], [2, 'two']];
export async function up(ctx: MigrationContext): Promise<void> {
  const p = ctx.dialect === 'postgres' ? ['$1', '$2'] : ['?', '?'];
  for (const [id, label] of rows) await ctx.sql(\`INSERT INTO items (id, label) VALUES (\${p[0]}, \${p[1]})\`, [id, label]);
}
export async function down(ctx: MigrationContext): Promise<void> {
  await ctx.exec('DELETE FROM items');
}
`,
        '0003_fails.mjs': `export async function up(ctx) {
  await ctx.exec("INSERT INTO items (id, label) VALUES (3, 'three')");
  throw new Error('boom from code');
}
`,
      });
      let r = await runCli(['--database', db.url, '--dir', dir, 'up']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /0003_fails\.mjs: migration 3 failed: boom from code/);
      assert.equal(await count(db, 'items'), 2, 'the INSERT of the failed code migration was rolled back');
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1, 2]);
      r = await runCli(['--database', db.url, '--dir', dir, 'down', '--to', '1']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await count(db, 'items'), 0);
    });
  });
}

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { BadMigrationError } from '../../src/core/errors.js';
import { checkCodeMigration, exportsName, scanCodeMigration } from '../../src/source/code-migration.js';
import { createFsSource } from '../../src/source/fs/fs-source.js';
import { loadAllMigrations } from '../../src/source/load-all.js';
import type { MigrationBody, MigrationContext } from '../../src/source/migration.js';
import { tempFolder } from './temp-folder.js';

/** A context that records what the migration asked to run (no database involved). */
function recordingContext(): { ctx: MigrationContext; calls: string[] } {
  const calls: string[] = [];
  const ctx: MigrationContext = {
    dialect: 'sqlite',
    signal: new AbortController().signal,
    async sql<Row extends Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]> {
      calls.push(`sql ${text} ${JSON.stringify(params ?? [])}`);
      return [{ n: 1 } as unknown as Row];
    },
    async exec(text: string): Promise<void> {
      calls.push(`exec ${text}`);
    },
  };
  return { ctx, calls };
}

function run(body: MigrationBody | undefined, ctx: MigrationContext): Promise<void> {
  assert.ok(body && body.kind === 'code');
  return Promise.resolve(body.run(ctx));
}

const TS_MIGRATION = `// godwit:no-transaction
// godwit:phase post
// godwit:lint-ignore PG001 the table is empty
import type { MigrationContext } from 'godwit';

interface Row { n: number }
const table: string = 'items';

export async function up(ctx: MigrationContext): Promise<void> {
  const rows = await ctx.sql<Row & Record<string, unknown>>('SELECT 1 AS n', [42]);
  await ctx.exec(\`CREATE TABLE \${table} (id INTEGER PRIMARY KEY, n INTEGER DEFAULT \${rows[0]!.n})\`);
}

export async function down(ctx: MigrationContext): Promise<void> {
  await ctx.exec(\`DROP TABLE \${table}\`);
}
`;

test('a .ts migration loads without a build step, lazily, and runs against the context', async () => {
  // No package.json in the temp folder: tsx must cope with TypeScript + ESM syntax there.
  const dir = tempFolder({ '0001_items.ts': TS_MIGRATION, '0002_plain.mts': 'export const up = async (ctx) => { await ctx.exec("SELECT 2"); };\n' });
  const src = createFsSource(dir);
  const [m1, m2] = await loadAllMigrations(src);
  assert.ok(m1 && m2);
  assert.equal(m1.ref.format, 'code');
  assert.equal(m1.transaction, false);
  assert.equal(m1.phase, 'post');
  assert.deepEqual(m1.directives.map((d) => [d.name, d.args, d.line]), [
    ['no-transaction', '', 1],
    ['phase', 'post', 2],
    ['lint-ignore', 'PG001 the table is empty', 3],
  ]);
  assert.equal(m1.up.file, join(dir, '0001_items.ts'));
  assert.ok(m1.down, 'the text exports down');
  assert.equal(m2.down, undefined, 'no down export in the text');

  const { ctx, calls } = recordingContext();
  await run(m1.up, ctx);
  await run(m1.down, ctx);
  await run(m2.up, ctx);
  assert.deepEqual(calls, [
    'sql SELECT 1 AS n [42]',
    'exec CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 1)',
    'exec DROP TABLE items',
    'exec SELECT 2',
  ]);
});

test('.js (CommonJS and ESM syntax) and .mjs load; default-export objects work', async () => {
  const dir = tempFolder({
    '1_cjs.js': 'exports.up = async (ctx) => { await ctx.exec("cjs up"); };\nexports.down = async (ctx) => { await ctx.exec("cjs down"); };\n',
    '2_esm.js': 'export async function up(ctx) { await ctx.exec("esm up"); }\n',
    '3_native.mjs': 'export default { async up(ctx) { await ctx.exec("default up"); }, down: async (ctx) => ctx.exec("default down") };\n',
  });
  const all = await loadAllMigrations(createFsSource(dir), { checkCode: true });
  assert.deepEqual(all.map((m) => m.down !== undefined), [true, false, true]);
  const { ctx, calls } = recordingContext();
  for (const m of all) {
    await run(m.up, ctx);
    if (m.down) await run(m.down, ctx);
  }
  assert.deepEqual(calls, ['exec cjs up', 'exec cjs down', 'exec esm up', 'exec default up', 'exec default down']);
});

test('listing and loading never import the code; a module without up fails when run, naming the file', async () => {
  const dir = tempFolder({
    '1_throws_on_import.mjs': 'throw new Error("imported!");\nexport async function up() {}\n',
    '2_no_up.ts': 'export async function upp(): Promise<void> {}\n',
    '3_bad_down.mjs': 'export async function up() {}\nexport const down = 42;\n',
  });
  const src = createFsSource(dir);
  const [a, b, c] = await loadAllMigrations(src);
  assert.ok(a && b && c);
  const { ctx } = recordingContext();
  await assert.rejects(run(a.up, ctx), (e: unknown) => e instanceof BadMigrationError && e.facts.file === join(dir, '1_throws_on_import.mjs') && /could not be loaded: imported!/.test(e.message));
  await assert.rejects(run(b.up, ctx), (e: unknown) => e instanceof BadMigrationError && e.facts.file === join(dir, '2_no_up.ts') && /does not export a "up" function \(missing\)/.test(e.message));
  await assert.rejects(run(c.down, ctx), (e: unknown) => e instanceof BadMigrationError && /"down" function \(found number\)/.test(e.message));
  await assert.rejects(loadAllMigrations(src, { checkCode: true }), (e: unknown) => e instanceof BadMigrationError && /^3 migration files are malformed/.test(e.message));
  await assert.rejects(checkCodeMigration(join(dir, '2_no_up.ts'), false), BadMigrationError);
});

test('a failing up propagates its own error unchanged', async () => {
  const dir = tempFolder({ '1_boom.mjs': 'export async function up() { throw new RangeError("boom"); }\n' });
  const [m] = await loadAllMigrations(createFsSource(dir));
  await assert.rejects(run(m!.up, recordingContext().ctx), (e: unknown) => e instanceof RangeError && e.message === 'boom');
});

test('code directives: refusals name the file and line', () => {
  assert.throws(() => scanCodeMigration('/m/1_x.ts', 'export async function up() {}\n// godwit:phase later\n'), (e: unknown) => e instanceof BadMigrationError && e.facts.line === 2 && /bad phase/.test(e.message));
  assert.throws(() => scanCodeMigration('/m/1_x.ts', '// godwit:notransaction\n'), (e: unknown) => e instanceof BadMigrationError && /unknown directive "\/\/ godwit:notransaction"/.test(e.message));
  assert.throws(() => scanCodeMigration('/m/1_x.ts', '// godwit:down\n'), (e: unknown) => e instanceof BadMigrationError && /export functions named up and down/.test(e.message));
  assert.equal(scanCodeMigration('/m/1_x.ts', '-- godwit:whatever\nexport function up() {}').directives.length, 0, 'SQL comments mean nothing in code');
});

test('whether the text exports down', () => {
  const yes = [
    'export async function down(ctx) {}',
    'export function down() {}',
    'export const down = async () => {};',
    'export let down = () => {};',
    'const undo = () => {};\nexport { undo as down };',
    'export { up, down } from "./shared.js";',
    'exports.down = async () => {};',
    'module.exports.down = () => {};',
    'module.exports = { up() {}, down() {} };',
    'export default { up: async () => {}, down: async () => {} };',
    'export default {\n  async up(ctx) {},\n  async down(ctx) {},\n};',
  ];
  const no = [
    'export async function up(ctx) {}',
    '// export async function down(ctx) {}',
    '/* export const down = 1 */ export function up() {}',
    'export { down as undo };',
    'export async function downgrade() {}',
    'const down = 1; export { up };',
    'export default { up: async () => { const down = 1; } };',
    'export type { down } from "./types.js";',
  ];
  for (const t of yes) assert.equal(exportsName(t, 'down'), true, t);
  for (const t of no) assert.equal(exportsName(t, 'down'), false, t);
});

test('outside tsx (plain node, as the built CLI runs), .ts migrations still load through the tsx API', async () => {
  const dir = tempFolder({ '0001_typed.ts': TS_MIGRATION });
  const root = resolve(import.meta.dirname, '../..');
  // The source module itself is loaded through a private tsx namespace so that no global TypeScript
  // loader is registered: the migration file must be handled by code-migration.ts's own namespace.
  const script = `
    import { register } from 'tsx/esm/api';
    import { pathToFileURL } from 'node:url';
    const api = register({ namespace: 'outer-test' });
    const parent = pathToFileURL(${JSON.stringify(root + '/')}).href;
    const { createFsSource } = await api.import('./src/source/fs/fs-source.ts', parent);
    const src = createFsSource(${JSON.stringify(dir)});
    const [ref] = await src.list();
    const m = await src.load(ref);
    const calls = [];
    const ctx = { dialect: 'sqlite', signal: new AbortController().signal,
      sql: async (t, p) => { calls.push(t); return [{ n: 7 }]; }, exec: async (t) => { calls.push(t); } };
    await m.up.run(ctx);
    await m.down.run(ctx);
    let plain = 'loaded';
    try { await import(pathToFileURL(${JSON.stringify(join(dir, '0001_typed.ts'))}).href); } catch (e) { plain = 'refused'; }
    console.log(JSON.stringify({ calls, plain }));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as { calls: string[]; plain: string };
  assert.equal(out.plain, 'refused', 'plain node cannot import this .ts file by itself (so the test proves the tsx path)');
  assert.deepEqual(out.calls, ['SELECT 1 AS n', 'CREATE TABLE items (id INTEGER PRIMARY KEY, n INTEGER DEFAULT 7)', 'DROP TABLE items']);
});

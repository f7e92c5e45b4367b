/**
 * The single-file bundle (`npm run bundle` -> dist/bundle/) as the migration image runs it: its
 * files and a migrations folder copied into an EMPTY temp folder whose only node_modules is the
 * native SQLite addon (as the Dockerfile copies it), then `up`, `status` and `wait` from there
 * against the real PostgreSQL, MariaDB and SQLite. The configuration comes from the environment,
 * as the generated manifests pass it (GODWIT_DATABASE_URL from a Secret, GODWIT_DIR=/migrations).
 *
 * The migrations exercise what the bundle had to carry: the PostgreSQL parser's WebAssembly (a
 * `$$` function body), the MySQL and SQLite splitters, code migrations as `.mjs` and as ESM `.js`
 * (Node's own import(); there is no tsx in the bundle), and a `post` phase migration.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../helpers/cli.js';
import { ALL_KINDS, createTestDb, skipUnless, type DbKind, type TestDb } from '../helpers/databases.js';
import { count, historyRows } from '../helpers/inspect.js';
import { buildBundle, imageFolder, nodeModulesAbove, runIn, show, tempRoot } from './bundle-kit.js';

const DIALECT_SQL: Record<DbKind, string> = {
  // The `;` inside the body is only safe with the real parser (libpg-query's .wasm beside the bundle).
  postgres: `CREATE FUNCTION item_count() RETURNS bigint LANGUAGE sql AS $$ SELECT count(*) FROM items; $$;\nCREATE VIEW item_totals AS SELECT item_count() AS n;\n`,
  mysql: `CREATE VIEW item_totals AS SELECT COUNT(*) AS n FROM items;\nCREATE INDEX items_label ON items (label);\n`,
  sqlite: `CREATE TRIGGER items_touch AFTER INSERT ON items BEGIN UPDATE items SET label = label WHERE id = NEW.id; END;\nCREATE VIEW item_totals AS SELECT COUNT(*) AS n FROM items;\n`,
};

function migrations(kind: DbKind): Record<string, string> {
  return {
    '0001_items.sql': 'CREATE TABLE items (id INTEGER PRIMARY KEY, label VARCHAR(40) NOT NULL, legacy VARCHAR(10));\n',
    '0002_seed.mjs': `// a code migration as .mjs
export async function up(ctx) {
  const p = ctx.dialect === 'postgres' ? '$1, $2' : '?, ?';
  await ctx.sql(\`INSERT INTO items (id, label) VALUES (\${p})\`, [1, 'from-mjs']);
}
`,
    '0003_more.js': `// an ESM .js code migration, no package.json around it
export async function up(ctx) {
  await ctx.exec("INSERT INTO items (id, label) VALUES (2, 'from-js')");
}
`,
    '0004_dialect.sql': DIALECT_SQL[kind],
    '0005_contract.sql': '-- godwit:phase post\nALTER TABLE items DROP COLUMN legacy;\n',
  };
}

let bundleDir: string;
const cleanup: string[] = [];

before(() => {
  const build = tempRoot('godwit-bundle-build-');
  cleanup.push(build);
  bundleDir = join(build, 'bundle');
  buildBundle(bundleDir);
});
after(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

describe('the bundle folder', () => {
  test('holds one module, the PostgreSQL parser and the license notices; nothing else', () => {
    assert.deepEqual(readdirSync(bundleDir).sort(), ['LICENSES.txt', 'godwit.mjs', 'libpg-query.wasm']);
    assert.ok(statSync(join(bundleDir, 'godwit.mjs')).size > 0);
  });

  test('runs from an empty folder: --version, --help and a k8s manifest need no node_modules at all', async () => {
    const app = tempRoot('godwit-bundle-bare-');
    cleanup.push(app);
    for (const f of readdirSync(bundleDir)) cpSync(join(bundleDir, f), join(app, f));
    assert.deepEqual(nodeModulesAbove(app), []);
    let r = await runIn(app, 'godwit.mjs', ['--version']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^godwit \d+\.\d+\.\d+/);
    r = await runIn(app, 'godwit.mjs', ['--help']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /wait/);
    r = await runIn(app, 'godwit.mjs', ['k8s', 'job', '--app', 'shop', '--image', 'ghcr.io/acme/shop-migrations:1.0']);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /kind: Job/);
  });

  test('finds libpg-query.wasm beside itself: lint of a PostgreSQL folder works with it and fails clearly without it', async () => {
    const dir = tempDir({ '0001_a.sql': 'CREATE TABLE a (id integer PRIMARY KEY, body text);\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$;\n' });
    cleanup.push(dir);
    const app = imageFolder(bundleDir, dir);
    cleanup.push(app);
    let r = await runIn(app, 'godwit.mjs', ['lint', '--dir', 'migrations', '--dialect', 'postgres']);
    assert.equal(r.code, 0, show(r));
    rmSync(join(app, 'libpg-query.wasm'));
    r = await runIn(app, 'godwit.mjs', ['lint', '--dir', 'migrations', '--dialect', 'postgres']);
    assert.notEqual(r.code, 0, show(r));
    assert.match(r.stdout + r.stderr, /libpg-query/, show(r));
  });

  test('a TypeScript migration is refused with the file and the fix (.mjs/.js, or the npm package)', async () => {
    const dir = tempDir({ '0001_typed.ts': 'export async function up(ctx: { exec(s: string): Promise<void> }): Promise<void> {\n  await ctx.exec("CREATE TABLE t (id INTEGER)");\n}\n' });
    cleanup.push(dir);
    const app = imageFolder(bundleDir, dir);
    cleanup.push(app);
    const r = await runIn(app, 'godwit.mjs', ['up'], { GODWIT_DIR: join(app, 'migrations'), GODWIT_DATABASE_URL: `sqlite://${join(app, 'db.sqlite')}` });
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, /0001_typed\.ts/);
    assert.match(r.stderr, /single-file godwit bundle/);
    assert.match(r.stderr, /\.mjs or \.js/);
    assert.match(r.stderr, /npx godwit/);
  });
});

describe('the PGlite stand-in (godwit check is not in the bundle)', () => {
  let out: string;
  before(() => {
    const src = tempDir({
      'entry.mjs': `try {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = await PGlite.create();
  const { rows } = await db.query('SELECT 41 + 1 AS n');
  console.log('answer', rows[0].n);
  await db.close();
} catch (e) {
  console.log('error', e.message);
}
`,
    });
    cleanup.push(src);
    out = join(src, 'out');
    buildBundle(out, ['--entry', join(src, 'entry.mjs')]);
  });

  test('without the package beside the bundle: a message that names the package, godwit check and the fix', async () => {
    const app = imageFolder(out);
    cleanup.push(app);
    const r = await runIn(app, 'godwit.mjs', []);
    assert.equal(r.code, 0, show(r));
    assert.match(r.stdout, /^error the embedded PostgreSQL \(@electric-sql\/pglite.*godwit check.*npx godwit check.*install @electric-sql\/pglite beside the bundle/s);
  });

  test('with @electric-sql/pglite installed beside the bundle: the real one is used', async () => {
    const app = imageFolder(out);
    cleanup.push(app);
    mkdirSync(join(app, 'node_modules/@electric-sql'), { recursive: true });
    symlinkSync(join(ROOT, 'node_modules/@electric-sql/pglite'), join(app, 'node_modules/@electric-sql/pglite'));
    const r = await runIn(app, 'godwit.mjs', []);
    assert.equal(r.code, 0, show(r));
    assert.equal(r.stdout.trim(), 'answer 42');
  });
});

for (const kind of ALL_KINDS) {
  describe(`the bundle in an empty folder on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    let db: TestDb | undefined;
    let app: string;
    let env: Record<string, string>;
    const godwit = (...args: string[]) => runIn(app, 'godwit.mjs', args, env);
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind, 'gwbundle');
      const dir = tempDir(migrations(kind));
      cleanup.push(dir);
      app = imageFolder(bundleDir, dir);
      cleanup.push(app);
      env = { GODWIT_DATABASE_URL: db.url, GODWIT_DIR: join(app, 'migrations') };
    });
    after(async () => {
      await db?.drop();
    });

    test('status, wait, up --phase pre, wait --phase pre, up, wait: the image workflow', opts, async () => {
      assert.deepEqual(readdirSync(join(app, 'node_modules')).sort(), ['better-sqlite3', 'bindings', 'file-uri-to-path']);
      assert.ok(!existsSync(join(app, 'package.json')));

      let r = await godwit('status');
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /0 applied, 5 pending/, show(r));

      r = await godwit('wait', '--timeout', '1s', '--poll-interval', '200ms');
      assert.equal(r.code, 4, `wait times out while migrations are pending: ${show(r)}`);

      r = await godwit('up', '--phase', 'pre');
      assert.equal(r.code, 0, show(r));
      assert.deepEqual((await historyRows(db!)).map((h) => [h.version, h.status, h.phase]), [
        [1, 'applied', 'pre'],
        [2, 'applied', 'pre'],
        [3, 'applied', 'pre'],
        [4, 'applied', 'pre'],
      ]);

      r = await godwit('wait', '--phase', 'pre');
      assert.equal(r.code, 0, `the app's gate opens with the post migration pending: ${show(r)}`);
      r = await godwit('wait', '--timeout', '1s', '--poll-interval', '200ms');
      assert.equal(r.code, 4, `wait for all still waits for the post migration: ${show(r)}`);

      r = await godwit('up');
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /applied 5 contract/);
      r = await godwit('status');
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /5 applied, 0 pending/, show(r));
      r = await godwit('wait');
      assert.equal(r.code, 0, show(r));
      r = await godwit('up');
      assert.equal(r.code, 0, `a second up is a no-op: ${show(r)}`);

      const rows = await historyRows(db!);
      assert.deepEqual(rows.map((h) => [h.version, h.status, h.phase]), [
        [1, 'applied', 'pre'],
        [2, 'applied', 'pre'],
        [3, 'applied', 'pre'],
        [4, 'applied', 'pre'],
        [5, 'applied', 'post'],
      ]);
      assert.deepEqual(
        (await db!.sql<{ id: unknown; label: string }>('SELECT id, label FROM items ORDER BY id')).map((x) => [Number(x.id), x.label]),
        [
          [1, 'from-mjs'],
          [2, 'from-js'],
        ],
      );
      assert.equal(Number((await db!.sql<{ n: unknown }>('SELECT n FROM item_totals'))[0]!.n), 2);
      assert.equal(await count(db!, 'items'), 2);
    });
  });
}

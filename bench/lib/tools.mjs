/**
 * Every tool in the comparison: how to write a migration set in its format, and the command line
 * for each action. A tool without an action (no `status` command, no CLI for `--version`) has no
 * entry for it and shows as "-" in the tables.
 *
 * Actions: version (cold start), up (apply, and no-op when everything is applied), status, wait.
 * `ctx` = { db, dir, engine } where dir is the folder this tool's `write` filled.
 */
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MY, PG } from './db.mjs';

export const BENCH = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH);
const NM = join(BENCH, 'node_modules');
const NODE = process.execPath;
const GODWIT = join(ROOT, 'dist/bin/godwit.mjs');
const DBMATE = join(NM, '@dbmate/linux-x64/bin/dbmate');
const GODWIT_BUNDLE = join(ROOT, 'dist/bundle/godwit.mjs');

const pad = (i, w = 4) => String(i).padStart(w, '0');
const pkgVersion = (name) => JSON.parse(readFileSync(join(NM, name, 'package.json'), 'utf8')).version;

/** Standard URLs. */
export function url(db, scheme = 'default') {
  if (db.engine === 'pg') return `postgres://${PG.user}@${PG.host}:${PG.port}/${db.name}${scheme === 'dbmate' ? '?sslmode=disable' : ''}`;
  if (db.engine === 'mysql') return `mysql://${MY.user}@${MY.host}:${MY.port}/${db.name}`;
  return scheme === 'godwit' || scheme === 'dbmate' ? `sqlite:${db.file}` : db.file;
}

function writeSqlFiles(dir, migs, name, body) {
  mkdirSync(dir, { recursive: true });
  for (const m of migs) writeFileSync(join(dir, name(m)), body(m));
}

/** A migration set is [{ i, name, up, down }] (1-based i, one statement each unless big). */

export const TOOLS = [
  {
    id: 'godwit',
    label: 'Godwit',
    engines: ['pg', 'mysql', 'sqlite'],
    version: () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    write: (dir, migs) => writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.sql`, (m) => `-- godwit:up\n${m.up};\n-- godwit:down\n${m.down};\n`),
    cmd: {
      version: () => [NODE, GODWIT, '--version'],
      up: (c) => [NODE, GODWIT, '--database', url(c.db, 'godwit'), '--dir', c.dir, 'up'],
      status: (c) => [NODE, GODWIT, '--database', url(c.db, 'godwit'), '--dir', c.dir, 'status'],
      wait: (c) => [NODE, GODWIT, '--database', url(c.db, 'godwit'), '--dir', c.dir, 'wait', '--timeout', '10s'],
    },
  },
  {
    // The single-file CLI of the migration image (`npm run bundle`); measured when it was built.
    id: 'godwit-bundle',
    label: 'Godwit bundle (image)',
    engines: ['pg', 'mysql', 'sqlite'],
    available: () => existsSync(GODWIT_BUNDLE),
    version: () => JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
    write: (dir, migs) => writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.sql`, (m) => `-- godwit:up\n${m.up};\n-- godwit:down\n${m.down};\n`),
    cmd: {
      version: () => [NODE, GODWIT_BUNDLE, '--version'],
      up: (c) => [NODE, GODWIT_BUNDLE, '--database', url(c.db, 'godwit'), '--dir', c.dir, 'up'],
      status: (c) => [NODE, GODWIT_BUNDLE, '--database', url(c.db, 'godwit'), '--dir', c.dir, 'status'],
      wait: (c) => [NODE, GODWIT_BUNDLE, '--database', url(c.db, 'godwit'), '--dir', c.dir, 'wait', '--timeout', '10s'],
    },
  },
  {
    id: 'dbmate',
    label: 'dbmate (Go)',
    engines: ['pg', 'mysql', 'sqlite'],
    version: () => pkgVersion('dbmate'),
    write: (dir, migs) => writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.sql`, (m) => `-- migrate:up\n${m.up};\n\n-- migrate:down\n${m.down};\n`),
    cmd: {
      version: () => [DBMATE, '--version'],
      up: (c) => [DBMATE, '--url', url(c.db, 'dbmate'), '--migrations-dir', c.dir, '--no-dump-schema', 'migrate'],
      status: (c) => [DBMATE, '--url', url(c.db, 'dbmate'), '--migrations-dir', c.dir, 'status'],
    },
    dbmateUrl: true,
  },
  {
    id: 'node-pg-migrate',
    label: 'node-pg-migrate',
    engines: ['pg'],
    version: () => pkgVersion('node-pg-migrate'),
    write: (dir, migs) => writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.sql`, (m) => `-- Up Migration\n${m.up};\n\n-- Down Migration\n${m.down};\n`),
    cmd: {
      version: () => [NODE, join(NM, 'node-pg-migrate/bin/node-pg-migrate.js'), '--version'],
      up: (c) => [NODE, join(NM, 'node-pg-migrate/bin/node-pg-migrate.js'), 'up', '-m', c.dir, '-d', 'BENCH_URL'],
    },
  },
  {
    id: 'knex',
    label: 'knex',
    engines: ['pg', 'mysql', 'sqlite'],
    version: () => pkgVersion('knex'),
    write: (dir, migs, engine) => {
      writeSqlFiles(join(dir, 'migrations'), migs, (m) => `${pad(m.i)}_${m.name}.cjs`, (m) => `exports.up = (knex) => knex.raw(${JSON.stringify(m.up)});\nexports.down = (knex) => knex.raw(${JSON.stringify(m.down)});\n`);
      const client = { pg: `'pg', connection: process.env.BENCH_URL`, mysql: `'mysql2', connection: process.env.BENCH_URL`, sqlite: `'better-sqlite3', connection: { filename: process.env.BENCH_URL }, useNullAsDefault: true` }[engine];
      writeFileSync(join(dir, 'knexfile.cjs'), `module.exports = { client: ${client}, migrations: { directory: ${JSON.stringify(join(dir, 'migrations'))}, loadExtensions: ['.cjs'] } };\n`);
    },
    cmd: {
      version: () => [NODE, join(NM, 'knex/bin/cli.js'), '--version'],
      up: (c) => [NODE, join(NM, 'knex/bin/cli.js'), '--knexfile', join(c.dir, 'knexfile.cjs'), 'migrate:latest'],
      status: (c) => [NODE, join(NM, 'knex/bin/cli.js'), '--knexfile', join(c.dir, 'knexfile.cjs'), 'migrate:list'],
    },
  },
  {
    id: 'umzug',
    label: 'umzug + pg/mysql2',
    engines: ['pg', 'mysql'],
    version: () => pkgVersion('umzug'),
    write: (dir, migs) => writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.sql`, (m) => `${m.up};\n`),
    cmd: {
      up: (c) => [NODE, join(BENCH, 'peers/umzug.mjs'), c.engine, c.dir, 'up'],
      status: (c) => [NODE, join(BENCH, 'peers/umzug.mjs'), c.engine, c.dir, 'status'],
    },
  },
  {
    id: 'kysely',
    label: 'kysely Migrator',
    engines: ['pg', 'mysql', 'sqlite'],
    version: () => pkgVersion('kysely'),
    write: (dir, migs) =>
      writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.mjs`, (m) => `import { sql } from 'kysely';\nexport async function up(db) { await sql.raw(${JSON.stringify(m.up)}).execute(db); }\nexport async function down(db) { await sql.raw(${JSON.stringify(m.down)}).execute(db); }\n`),
    cmd: {
      up: (c) => [NODE, join(BENCH, 'peers/kysely.mjs'), c.engine, c.dir, 'up'],
      status: (c) => [NODE, join(BENCH, 'peers/kysely.mjs'), c.engine, c.dir, 'status'],
    },
  },
  {
    id: 'postgrator',
    label: 'postgrator',
    engines: ['pg', 'mysql'],
    version: () => pkgVersion('postgrator'),
    write: (dir, migs) => {
      writeSqlFiles(dir, migs, (m) => `${pad(m.i)}.do.${m.name}.sql`, (m) => `${m.up};\n`);
      writeSqlFiles(dir, migs, (m) => `${pad(m.i)}.undo.${m.name}.sql`, (m) => `${m.down};\n`);
    },
    cmd: {
      up: (c) => [NODE, join(BENCH, 'peers/postgrator.mjs'), c.engine, c.dir, 'up'],
      status: (c) => [NODE, join(BENCH, 'peers/postgrator.mjs'), c.engine, c.dir, 'status'],
    },
  },
  {
    id: 'drizzle-kit',
    label: 'drizzle-kit',
    engines: ['pg', 'mysql', 'sqlite'],
    version: () => pkgVersion('drizzle-kit'),
    write: (dir, migs, engine) => {
      const dialect = { pg: 'postgresql', mysql: 'mysql', sqlite: 'sqlite' }[engine];
      const tag = (m) => `${pad(m.i - 1)}_${m.name}`;
      writeSqlFiles(join(dir, 'out'), migs, (m) => `${tag(m)}.sql`, (m) => `${m.up};\n`);
      mkdirSync(join(dir, 'out/meta'), { recursive: true });
      const journal = { version: '7', dialect, entries: migs.map((m) => ({ idx: m.i - 1, version: '7', when: 1700000000000 + m.i * 1000, tag: tag(m), breakpoints: true })) };
      writeFileSync(join(dir, 'out/meta/_journal.json'), JSON.stringify(journal, null, 2));
      const creds = engine === 'sqlite' ? `{ url: process.env.BENCH_URL }` : `{ url: process.env.BENCH_URL }`;
      writeFileSync(join(dir, 'drizzle.config.js'), `export default { dialect: '${dialect}', out: ${JSON.stringify(join(dir, 'out'))}, dbCredentials: ${creds} };\n`);
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}\n');
    },
    cmd: {
      version: () => [NODE, join(NM, 'drizzle-kit/bin.cjs'), '--version'],
      up: (c) => [NODE, join(NM, 'drizzle-kit/bin.cjs'), 'migrate', '--config', join(c.dir, 'drizzle.config.js')],
    },
  },
  {
    id: 'db-migrate',
    label: 'db-migrate',
    engines: ['pg', 'mysql'],
    version: () => pkgVersion('db-migrate'),
    write: (dir, migs, engine) => {
      writeSqlFiles(join(dir, 'migrations'), migs, (m) => `${20200101000000 + m.i}-${m.name}.js`, (m) => `exports.up = (db) => db.runSql(${JSON.stringify(m.up)});\nexports.down = (db) => db.runSql(${JSON.stringify(m.down)});\n`);
      writeFileSync(join(dir, 'migrations/package.json'), '{"type":"commonjs"}\n');
      writeFileSync(join(dir, 'database.json'), JSON.stringify({ bench: { ENV: 'BENCH_URL' } }));
    },
    cmd: {
      version: () => [NODE, join(NM, 'db-migrate/bin/db-migrate'), '--version'],
      up: (c) => [NODE, join(NM, 'db-migrate/bin/db-migrate'), 'up', '--config', join(c.dir, 'database.json'), '-e', 'bench', '-m', join(c.dir, 'migrations')],
      status: (c) => [NODE, join(NM, 'db-migrate/bin/db-migrate'), 'check', '--config', join(c.dir, 'database.json'), '-e', 'bench', '-m', join(c.dir, 'migrations')],
    },
  },
  {
    id: 'pg-script',
    label: 'floor: 30-line `pg` script',
    floor: true,
    engines: ['pg'],
    version: () => pkgVersion('pg'),
    write: (dir, migs) => writeSqlFiles(dir, migs, (m) => `${pad(m.i)}_${m.name}.sql`, (m) => `${m.up};\n`),
    cmd: {
      up: (c) => [NODE, join(BENCH, 'floors/pg-script.mjs'), url(c.db), c.dir],
    },
  },
];

/** Environment each tool reads its URL from (harmless for the others). */
export function toolEnv(db) {
  return { BENCH_URL: url(db), BENCH_DB: db.name, BENCH_SQLITE_FILE: db.file ?? '', DATABASE_URL: url(db), NO_COLOR: '1', FORCE_COLOR: '0' };
}

export const byId = (id) => TOOLS.find((t) => t.id === id);

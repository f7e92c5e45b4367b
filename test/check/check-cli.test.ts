/**
 * `godwit check` through the BUILT binary on the fixture folders under test/fixtures/check, for
 * PostgreSQL (PGlite, embedded), SQLite (temp file) and MariaDB (--dev-url to the local server):
 * a good folder, a broken up, a broken down, a down that forgets an index; exit codes, file:line
 * and the database's message in the output; the MariaDB temporary database dropped afterwards.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli, startCli, tempDir, until, type CliResult } from '../helpers/cli.js';
import { MYSQL_ADMIN_URL, PG_ADMIN_URL, skipUnless } from '../helpers/databases.js';

const FIXTURES = join(ROOT, 'test/fixtures/check');
const DEV_URL = MYSQL_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, '/$1');

/** A private cache directory, so the PGlite template is made (first run) and used (later runs) here. */
const cacheHome = mkdtempSync(join(tmpdir(), 'godwit-check-cache-'));
after(() => rmSync(cacheHome, { recursive: true, force: true }));

interface Engine {
  readonly name: string;
  readonly dir: string;
  readonly args: readonly string[];
  /** The database's message for the broken up (a statement on line 4 / 2). */
  readonly brokenUp: { line: number; message: RegExp };
  readonly brokenDownMessage: RegExp;
  readonly forgottenIndex: string;
  options(): Promise<{ skip?: string }>;
}

const engines: Engine[] = [
  {
    name: 'PostgreSQL (PGlite)',
    dir: 'postgres',
    args: ['--database', 'postgres://app@db.example.com:5432/app'],
    brokenUp: { line: 4, message: /relation "teams" does not exist/ },
    brokenDownMessage: /column "nick_name" of relation "users" does not exist/,
    forgottenIndex: 'users_name_idx',
    options: async () => ({}),
  },
  {
    name: 'SQLite',
    dir: 'sqlite',
    args: ['--database', 'sqlite:./app.db'],
    brokenUp: { line: 4, message: /no such table: teams/ },
    brokenDownMessage: /no such column: "?nick_name"?/,
    forgottenIndex: 'users_name_idx',
    options: async () => ({}),
  },
  {
    name: 'MariaDB (--dev-url)',
    dir: 'mysql',
    args: ['--database', 'mysql://app@db.example.com:3306/app', '--dev-url', DEV_URL],
    brokenUp: { line: 2, message: /Foreign key constraint is incorrectly formed|Failed to open the referenced table 'teams'/ },
    brokenDownMessage: /Can't DROP COLUMN `nick_name`; check that it exists/,
    forgottenIndex: 'users_created_idx',
    options: () => skipUnless('mysql'),
  },
];

function check(engine: Engine, folder: string, extra: readonly string[] = []): Promise<CliResult> {
  const cwd = tempDir();
  return runCli(['check', ...engine.args, '--dir', join(FIXTURES, engine.dir, folder), ...extra], { cwd, env: { XDG_CACHE_HOME: cacheHome }, killAfterMs: 180_000 }).finally(() =>
    rmSync(cwd, { recursive: true, force: true }),
  );
}

async function mysqlDatabaseExists(name: string): Promise<boolean> {
  const mysql = (await import('mysql2/promise')).default;
  const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
  try {
    const [rows] = await c.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return (rows as unknown[]).length > 0;
  } finally {
    await c.end();
  }
}

function temporaryDatabase(out: string): string {
  const m = /temporary database (godwit_check_[0-9a-f]+)/.exec(out);
  assert.ok(m, `the output names the temporary database:\n${out}`);
  return m[1]!;
}

for (const engine of engines) {
  describe(`godwit check on ${engine.name}`, await engine.options(), () => {
    test('a good folder: exit 0, every migration up, down, up again', async () => {
      const r = await check(engine, 'good');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      for (const f of ['0001_create_users', '0002_create_posts', '0004_', '0005_drop_legacy']) {
        assert.match(r.stdout, new RegExp(`^ok +\\S*${f}\\S*\\.sql +up, down, up again$`, 'm'));
      }
      assert.match(r.stdout, /^ok +\S*0006_seed\.sql +up \(no down\)$/m);
      assert.match(r.stdout, /all \d+ migration\(s\) apply, and every down undoes its up/);
      if (engine.dir === 'postgres') assert.match(r.stdout, /^ok +\S*0007_tokens\.sql +up, down, up again$/m);
      if (engine.dir === 'mysql') assert.equal(await mysqlDatabaseExists(temporaryDatabase(r.stdout)), false, 'temporary database dropped');
    });

    test('a broken up: exit 1 naming file:line and the database message; later migrations not run', async () => {
      const r = await check(engine, 'broken-up');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^FAIL +\S*0002_add_team\.sql +up failed:$/m);
      assert.match(r.stdout, new RegExp(`0002_add_team\\.sql:${engine.brokenUp.line}: migration 2 failed: `));
      assert.match(r.stdout, engine.brokenUp.message);
      if (engine.dir === 'postgres') assert.match(r.stdout, /^-- +\S*0003_create_posts\.sql +not run$/m);
      assert.match(r.stdout, /stopped: migration 2 \(add_team\) failed to apply/);
      if (engine.dir === 'mysql') assert.equal(await mysqlDatabaseExists(temporaryDatabase(r.stdout)), false, 'temporary database dropped after a failure');
    });

    test('a broken down: exit 1 naming the down file:line and the database message', async () => {
      const r = await check(engine, 'broken-down');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^FAIL +\S*0002_add_nickname\.sql$/m);
      assert.match(r.stdout, /down failed \(\S*0002_add_nickname\.sql\):/);
      assert.match(r.stdout, /0002_add_nickname\.sql:5: migration 2 failed: /);
      assert.match(r.stdout, engine.brokenDownMessage);
    });

    test('a down that forgets an index: exit 1 listing the index still present after down', async () => {
      const r = await check(engine, 'forgot-index');
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /the down \(\S*0002_add_nickname\.sql\) does not undo the up:/);
      assert.match(r.stdout, new RegExp(`^ +table users: index ${engine.forgottenIndex}: still present after down$`, 'm'));
      // Nothing else differs: the column the down drops is gone.
      assert.doesNotMatch(r.stdout, /column nickname/);
      if (engine.dir === 'mysql') assert.equal(await mysqlDatabaseExists(temporaryDatabase(r.stdout)), false, 'temporary database dropped');
    });
  });
}

describe('godwit check interrupted', await skipUnless('mysql'), () => {
  test('SIGTERM during the replay: the MariaDB temporary database is still dropped', async () => {
    const mysql = (await import('mysql2/promise')).default;
    const admin = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
    const cwd = tempDir({
      'migrations/0001_slow.sql': '-- godwit:up\nCREATE TABLE slow (id INT);\nDO SLEEP(30);\n-- godwit:down\nDROP TABLE slow;\n',
    });
    try {
      const before = new Set(((await admin.query("SHOW DATABASES LIKE 'godwit\\_check\\_%'"))[0] as Array<Record<string, string>>).map((r) => Object.values(r)[0]));
      const { child, done } = startCli(['check', ...engines[2]!.args, '--shutdown-grace', '1s'], { cwd });
      let name: string | undefined;
      await until(async () => {
        const rows = (await admin.query("SHOW DATABASES LIKE 'godwit\\_check\\_%'"))[0] as Array<Record<string, string>>;
        name = rows.map((r) => Object.values(r)[0]!).find((n) => !before.has(n));
        if (!name) return false;
        const [t] = await admin.query('SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [name, 'slow']);
        return (t as unknown[]).length > 0;
      }, 60_000, 'the check to create its database and start the slow migration');
      child.kill('SIGTERM');
      const r = await done;
      assert.equal(r.code, 143, r.stdout + r.stderr);
      const [rows] = await admin.query('SELECT SCHEMA_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
      assert.deepEqual(rows, [], `${name} dropped after SIGTERM`);
    } finally {
      await admin.end();
      rmSync(cwd, { recursive: true, force: true });
    }
  });
});

describe('godwit check --json and bad input', () => {
  test('--json prints one document with per-migration results', async () => {
    const r = await check(engines[1]!, 'forgot-index', ['--json']);
    assert.equal(r.code, 1, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      command: string;
      ok: boolean;
      migrations: Array<{ version: number; file: string; up: string; down: string; reapply: string; downDifferences: Array<{ path: string[]; change: string; text: string }>; failure?: { step: string; line?: number } }>;
    };
    assert.equal(doc.command, 'check');
    assert.equal(doc.ok, false);
    assert.deepEqual(doc.migrations.map((m) => [m.version, m.up, m.down, m.reapply]), [
      [1, 'ok', 'ok', 'ok'],
      [2, 'ok', 'mismatch', 'failed'],
    ]);
    assert.deepEqual(doc.migrations[1]!.downDifferences, [
      { path: ['table users', 'index users_name_idx'], change: 'added', text: 'table users: index users_name_idx: still present after down' },
    ]);
    assert.equal(doc.migrations[1]!.failure?.step, 'reapply');
    assert.equal(doc.migrations[1]!.failure?.line, 3);
  });

  test('--json on a good folder: ok true, exit 0', async () => {
    const r = await check(engines[1]!, 'good', ['--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { ok: boolean; migrations: Array<{ down: string }> };
    assert.equal(doc.ok, true);
    assert.deepEqual(doc.migrations.map((m) => m.down), ['ok', 'ok', 'ok', 'ok', 'ok', 'no-down']);
  });

  test('a MySQL folder without --dev-url: exit 2 saying what to give', async () => {
    const r = await runCli(['check', '--database', 'mysql://app@db.example.com/app', '--dir', join(FIXTURES, 'mysql/good')]);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /--dev-url mysql:\/\//);
  });

  test('an unreachable --dev-url: exit 3, the password masked', async () => {
    const r = await runCli(['check', '--dev-url', 'mysql://root:s3cret@127.0.0.1:1/', '--connect-timeout', '1s', '--dir', join(FIXTURES, 'mysql/good')]);
    assert.equal(r.code, 3, r.stdout + r.stderr);
    assert.match(r.stderr, /Could not connect to mysql:\/\/root:\*\*\*@127\.0\.0\.1:1\//);
    assert.doesNotMatch(r.stdout + r.stderr, /s3cret/);
  });

  test('malformed migration files: exit 2, nothing replayed', async () => {
    const dir = tempDir({ 'migrations/0001_a.sql': '-- godwit:up\nCREATE TABLE a (id int);\n', 'migrations/0001_b.sql': '-- godwit:up\nCREATE TABLE b (id int);\n' });
    try {
      const r = await runCli(['check', '--database', 'sqlite:./x.db'], { cwd: dir });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /0001/);
      assert.doesNotMatch(r.stdout, /replayed/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('godwit check --dev-url on a PostgreSQL server', await skipUnless('postgres'), () => {
  test('runs in a temporary database and drops it', async () => {
    const devUrl = PG_ADMIN_URL.replace(/\/[^/?]*(\?|$)/, '/$1');
    const cwd = tempDir();
    const r = await runCli(['check', '--dev-url', devUrl, '--dir', join(FIXTURES, 'postgres/forgot-index')], { cwd }).finally(() => rmSync(cwd, { recursive: true, force: true }));
    assert.equal(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /table users: index users_name_idx: still present after down/);
    const name = temporaryDatabase(r.stdout);
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      const rows = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      assert.equal(rows.rowCount, 0, `${name} dropped`);
    } finally {
      await c.end();
    }
  });
});

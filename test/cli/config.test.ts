/**
 * Configuration through the CLI: URL precedence (flag > env > file > default), the embedded
 * default said on stderr, config files, masked passwords, unreachable and misconfigured databases.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { createTestDb, skipUnless } from '../helpers/databases.js';
import { tableExists } from '../helpers/inspect.js';

const ONE = { 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER PRIMARY KEY);\n' };

describe('configuration', () => {
  test('with no database configured, the embedded default sqlite:./godwit.db is used and said on stderr', async () => {
    const cwd = tempDir(ONE);
    const r = await runCli(['up'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /using the embedded default sqlite:\.\/godwit\.db/);
    assert.ok(existsSync(join(cwd, 'godwit.db')));
  });

  test('precedence: flag over GODWIT_DATABASE_URL over DATABASE_URL over the config file', async () => {
    const cwd = tempDir({ ...ONE, 'godwit.config.json': JSON.stringify({ database: 'sqlite:file.db', table: 'from_file' }) });
    let r = await runCli(['up'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(cwd, 'file.db')));
    assert.doesNotMatch(r.stderr, /embedded default/);
    r = await runCli(['up'], { cwd, env: { DATABASE_URL: 'sqlite:plain.db' } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(cwd, 'plain.db')));
    r = await runCli(['up'], { cwd, env: { DATABASE_URL: 'sqlite:plain2.db', GODWIT_DATABASE_URL: 'sqlite:godwit-env.db' } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(cwd, 'godwit-env.db')));
    assert.ok(!existsSync(join(cwd, 'plain2.db')));
    r = await runCli(['up', '--database', 'sqlite:flag.db'], { cwd, env: { GODWIT_DATABASE_URL: 'sqlite:nope.db' } });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(cwd, 'flag.db')));
    assert.ok(!existsSync(join(cwd, 'nope.db')));
    // the table setting came from the file
    r = await runCli(['status', '--json', '--database', 'sqlite:flag.db'], { cwd });
    assert.equal(JSON.parse(r.stdout).table, 'from_file');
    r = await runCli(['status', '--json', '--database', 'sqlite:flag.db'], { cwd, env: { GODWIT_TABLE: 'from_env' } });
    assert.equal(JSON.parse(r.stdout).table, 'from_env');
  });

  test('a YAML config file and --config', async () => {
    const cwd = tempDir({ ...ONE, 'conf/g.yaml': 'database: sqlite:yaml.db\ndir: migrations\n' });
    const r = await runCli(['up', '--config', 'conf/g.yaml'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(join(cwd, 'yaml.db')));
  });

  test('an unknown setting in the config file is refused (exit 2)', async () => {
    const cwd = tempDir({ ...ONE, 'godwit.config.json': JSON.stringify({ lockTimout: '5m' }) });
    const r = await runCli(['up'], { cwd });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown setting "lockTimout"/);
  });

  test('a bad URL scheme exits 2', async () => {
    const r = await runCli(['status', '--database', 'oracle://u:secret@h/db', '--dir', tempDir(ONE)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unsupported database URL scheme/);
    assert.doesNotMatch(r.stderr + r.stdout, /secret/);
  });

  test('a closed port exits 3 after --connect-timeout, retrying with the password masked', async () => {
    const r = await runCli(['up', '--database', 'postgres://u:hunter2@127.0.0.1:1/db', '--dir', tempDir(ONE), '--connect-timeout', '2s']);
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stdout + r.stderr, /waiting for the database at postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/db/);
    assert.doesNotMatch(r.stdout + r.stderr, /hunter2/);
    const m = await runCli(['up', '--database', 'mysql://u:hunter2@127.0.0.1:1/db', '--dir', tempDir(ONE), '--connect-timeout', '1s']);
    assert.equal(m.code, 3, m.stderr);
    assert.doesNotMatch(m.stdout + m.stderr, /hunter2/);
  });
});

describe('misconfigured server databases exit 2 at once', async () => {
  const pg = await skipUnless('postgres');
  const my = await skipUnless('mysql');
  test('postgres: unknown database', pg, async () => {
    const r = await runCli(['up', '--database', 'postgres://postgres:pw@127.0.0.1:5432/godwit_no_such_db', '--dir', tempDir(ONE)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /godwit_no_such_db/);
    assert.doesNotMatch(r.stderr, /:pw@/);
  });
  test('mysql: unknown database and wrong password', my, async () => {
    let r = await runCli(['up', '--database', 'mysql://root@127.0.0.1:3306/godwit_no_such_db', '--dir', tempDir(ONE)]);
    assert.equal(r.code, 2, r.stderr);
    const db = await createTestDb('mysql');
    try {
      await db.sql(`CREATE USER IF NOT EXISTS 'godwit_pw_test'@'%' IDENTIFIED BY 'right-pass'`);
      await db.sql(`CREATE USER IF NOT EXISTS 'godwit_pw_test'@'localhost' IDENTIFIED BY 'right-pass'`);
      r = await runCli(['up', '--database', `mysql://godwit_pw_test:wrong-pass@127.0.0.1:3306/${db.name}`, '--dir', tempDir(ONE)]);
      assert.equal(r.code, 2, r.stderr);
      assert.doesNotMatch(r.stderr + r.stdout, /wrong-pass/);
      assert.equal(await tableExists(db, 'a'), false);
    } finally {
      await db.sql(`DROP USER IF EXISTS 'godwit_pw_test'@'%'`).catch(() => undefined);
      await db.sql(`DROP USER IF EXISTS 'godwit_pw_test'@'localhost'`).catch(() => undefined);
      await db.drop();
    }
  });
});

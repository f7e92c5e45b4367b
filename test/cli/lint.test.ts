/**
 * `godwit lint` as users run it: the whole folder by default, only pending migrations when a
 * database is configured, only files added since a git ref with --since, explicit paths; output
 * formats; exit codes 1 (error finding) and 2 (bad input).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir } from '../helpers/cli.js';
import { createTestDb, skipUnless } from '../helpers/databases.js';

const SAFE = '-- godwit:up\nCREATE TABLE users (id int, email text);\n-- godwit:down\nDROP TABLE users;\n';
const UNSAFE = '-- godwit:up\nCREATE INDEX users_email ON users (email);\n-- godwit:down\nDROP INDEX users_email;\n';

describe('godwit lint', async () => {
  test('the whole folder by default: exit 1 with file:line; --format sarif and json', async () => {
    const cwd = tempDir({ 'migrations/0001_users.sql': SAFE, 'migrations/0002_idx.sql': UNSAFE });
    let r = await runCli(['lint', '--dialect', 'postgres'], { cwd });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /migrations\/0002_idx\.sql:2 error GW301/);
    r = await runCli(['lint', '--dialect', 'postgres', '--format', 'sarif'], { cwd });
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: Array<{ results: Array<{ ruleId: string }> }> };
    assert.equal(sarif.version, '2.1.0');
    assert.deepEqual(sarif.runs[0]!.results.map((x) => x.ruleId), ['GW301']);
    r = await runCli(['lint', '--dialect', 'postgres', '--json'], { cwd });
    assert.equal(r.code, 1);
    assert.ok(JSON.parse(r.stdout));
  });

  test('a suppression with a reason clears the finding; without a reason it is itself an error', async () => {
    const cwd = tempDir({
      'migrations/0001_users.sql': SAFE,
      'migrations/0002_idx.sql': '-- godwit:up\n-- godwit:lint-ignore GW301 the table is tiny and new\nCREATE INDEX users_email ON users (email);\n-- godwit:down\nDROP INDEX users_email;\n',
    });
    let r = await runCli(['lint', '--dialect', 'postgres'], { cwd });
    assert.equal(r.code, 0, r.stdout);
    writeFileSync(join(cwd, 'migrations/0002_idx.sql'), '-- godwit:lint-ignore GW301\nCREATE INDEX users_email ON users (email);\n-- godwit:down\nDROP INDEX users_email;\n');
    r = await runCli(['lint', '--dialect', 'postgres'], { cwd });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /GW902/);
  });

  test('rule configuration from the config file; a bad setting exits 2', async () => {
    const cwd = tempDir({ 'migrations/0001_users.sql': SAFE, 'migrations/0002_idx.sql': UNSAFE, 'godwit.config.json': JSON.stringify({ dialect: 'postgres', lint: { rules: { GW301: 'warning' } } }) });
    let r = await runCli(['lint'], { cwd });
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.stdout, /warning GW301/);
    writeFileSync(join(cwd, 'godwit.config.json'), JSON.stringify({ dialect: 'postgres', lint: { rules: { GW301: 'loud' } } }));
    r = await runCli(['lint'], { cwd });
    assert.equal(r.code, 2, r.stdout + r.stderr);
  });

  test('--since lints only the files added since a git ref (what a pull request adds)', async () => {
    const cwd = tempDir({ 'migrations/0001_users.sql': SAFE, 'migrations/0002_idx.sql': UNSAFE });
    const git = (...a: string[]) => execFileSync('git', a, { cwd, stdio: 'pipe', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-qm', 'base');
    writeFileSync(join(cwd, 'migrations/0003_posts.sql'), '-- godwit:up\nCREATE TABLE posts (id int);\n-- godwit:down\nDROP TABLE posts;\n');
    let r = await runCli(['lint', '--dialect', 'postgres', '--since', 'main'], { cwd });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.doesNotMatch(r.stdout, /0002_idx/);
    r = await runCli(['lint', '--dialect', 'postgres', 'migrations/0002_idx.sql'], { cwd });
    assert.equal(r.code, 1);
    r = await runCli(['lint', '--dialect', 'postgres', '--since', 'no-such-ref'], { cwd });
    assert.equal(r.code, 2);
  });

  test('with a database configured, only pending migrations are reported', await skipUnless('postgres'), async () => {
    const db = await createTestDb('postgres');
    try {
      const cwd = tempDir({ 'migrations/0001_users.sql': SAFE, 'migrations/0002_idx.sql': UNSAFE });
      let r = await runCli(['up', '--database', db.url, '--ddl-lock-timeout', '5s'], { cwd });
      assert.equal(r.code, 0, r.stderr);
      writeFileSync(join(cwd, 'migrations/0003_more.sql'), '-- godwit:up\nALTER TABLE users ADD COLUMN age int;\n-- godwit:down\nALTER TABLE users DROP COLUMN age;\n');
      r = await runCli(['lint', '--database', db.url], { cwd });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.doesNotMatch(r.stdout, /GW301/);
    } finally {
      await db.drop();
    }
  });
});

/**
 * Situation 8 of the issue ("database not there yet"): a closed port is retried with backoff until
 * --connect-timeout, saying what it waits for, then exit 3 (a retry helps); a wrong password, an
 * unknown user or database fail at once with exit 2 (retrying would not help). The password is
 * masked in every message.
 *
 * PostgreSQL here trusts every local connection (any password is accepted), so its credential
 * case is an unknown role; MariaDB gets a user with a password created by the test. SQLite has no
 * port or password: its case is a database file in a folder that does not exist (exit 2).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ALL_KINDS, MYSQL_ADMIN_URL, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { MARKS_TABLE, show } from '../helpers/chaos.js';

const SECRET = 'S3cr3t-pw';

for (const kind of ALL_KINDS) {
  describe(`chaos: unreachable database and bad credentials on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const dir = tempDir({ '0001_marks.sql': MARKS_TABLE });
    let db: TestDb | undefined;
    const user = `gw_pw_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const mysql = (await import('mysql2/promise')).default;
      const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind, 'gwu');
      if (kind === 'mysql') {
        for (const host of ['%', 'localhost']) {
          await admin(`CREATE USER '${user}'@'${host}' IDENTIFIED BY '${SECRET}'`);
          await admin(`GRANT ALL ON \`${db.name}\`.* TO '${user}'@'${host}'`);
        }
      }
    });
    after(async () => {
      if (kind === 'mysql' && !opts.skip) await admin(`DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`).catch(() => undefined);
      await db?.drop();
    });

    const na = kind === 'sqlite' ? 'SQLite has no port (not applicable)' : undefined;
    test(`a closed port: retried until --connect-timeout, saying what it waits for, then exit 3, password masked${na ? ` (${na})` : ''}`, { skip: opts.skip ?? na }, async () => {
      const url = kind === 'postgres' ? `postgres://postgres:${SECRET}@127.0.0.1:1/app` : `mysql://root:${SECRET}@127.0.0.1:1/app`;
      const r = await runCli(['--database', url, '--dir', dir, '--connect-timeout', '2s', 'up']);
      assert.equal(r.code, 3, show(r));
      const masked = url.replace(SECRET, '***');
      assert.match(r.stdout, new RegExp(`waiting for the database at ${masked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(attempt 1`));
      assert.match(r.stderr, /Could not connect to .*127\.0\.0\.1:1.* within 2s \(\d+ attempts\)/);
      assert.match(r.stderr, /raise --connect-timeout/);
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(SECRET));
    });

    if (kind === 'sqlite') {
      test('a database file in a folder that does not exist: exit 2 at once', opts, async () => {
        const r = await runCli(['--database', `sqlite:///nonexistent-${randomBytes(4).toString('hex')}/app.db`, '--dir', dir, '--connect-timeout', '30s', 'up']);
        assert.equal(r.code, 2, show(r));
        assert.match(r.stderr, /does not exist/);
        assert.doesNotMatch(r.stdout, /waiting for the database/);
      });
      return;
    }

    test(`${kind === 'mysql' ? 'a wrong password' : 'an unknown role'}: exit 2 at once (no retries), password masked`, opts, async () => {
      const url = kind === 'postgres' ? db!.url.replace('postgres@', `gw_nobody_${randomBytes(3).toString('hex')}:${SECRET}@`) : db!.url.replace('root@', `${user}:wrong-${SECRET}@`);
      const r = await runCli(['--database', url, '--dir', dir, '--connect-timeout', '30s', 'up']);
      assert.equal(r.code, 2, show(r));
      assert.match(r.stderr, kind === 'mysql' ? /Access denied|password|credentials/i : /role .* does not exist|authentication|credentials/i);
      assert.doesNotMatch(r.stdout, /waiting for the database/, 'not retried');
      assert.doesNotMatch(r.stdout + r.stderr, new RegExp(SECRET));
      assert.match(r.stderr, /\*\*\*/, 'the URL is shown masked');

      if (kind === 'mysql') {
        const ok = await runCli(['--database', db!.url.replace('root@', `${user}:${SECRET}@`), '--dir', dir, 'up']);
        assert.equal(ok.code, 0, `the right password works: ${show(ok)}`);
        assert.doesNotMatch(ok.stdout + ok.stderr, new RegExp(SECRET));
      }
    });

    test('an unknown database: exit 2 at once', opts, async () => {
      const url = db!.url.replace(/\/[^/?]+(\?|$)/, `/gw_missing_${randomBytes(3).toString('hex')}$1`);
      const r = await runCli(['--database', url, '--dir', dir, '--connect-timeout', '30s', 'up']);
      assert.equal(r.code, 2, show(r));
      assert.match(r.stderr, /does not exist|Unknown database/i);
      assert.doesNotMatch(r.stdout, /waiting for the database/);
    });
  });
}

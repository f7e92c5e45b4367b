/**
 * The remaining repair mode (--applied), down --dry-run, and output rules: no colour when piped,
 * colour when forced with --color, none with --no-color.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, describeDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { eventActions, historyRows, tableExists } from '../helpers/inspect.js';

for (const kind of ALL_KINDS) {
  describe(`repair --applied and down --dry-run on ${kind}`, async () => {
    const { opts, db: testDb } = await describeDb(kind);

    test('a partial migration finished by hand is marked applied with repair --applied', opts, async () => {
      const db = testDb();
      const dir = tempDir({
        '0001_steps.sql': `-- godwit:no-transaction
CREATE TABLE r1 (id INTEGER PRIMARY KEY);
INSERT INTO r_missing (id) VALUES (1);
-- godwit:down
DROP TABLE r1;
`,
      });
      const cli = (...a: string[]) => runCli(['--database', db.url, '--dir', dir, ...a]);
      let r = await cli('up');
      assert.equal(r.code, 5, r.stderr);
      r = await cli('repair', '1');
      assert.equal(r.code, 2, 'repair without an action explains the choices');
      assert.match(r.stderr, /--retry-from N/);
      r = await cli('repair', '1', '--applied');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied']]);
      assert.deepEqual((await eventActions(db)).slice(-1), ['repair:1']);
      r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /nothing to do/);
      r = await cli('down', '--dry-run');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /-- down 1 steps/);
      assert.match(r.stdout, /DROP TABLE r1;/);
      assert.equal(await tableExists(db, 'r1'), true, 'dry-run touched nothing');
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1]);
    });
  });
}

describe('output', () => {
  test('no colour when piped; --color forces it; --no-color wins', async () => {
    const dir = tempDir({ 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n' });
    let r = await runCli(['up', '--database', 'sqlite:one.db'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /\u001b\[/);
    r = await runCli(['down', '--database', 'sqlite:two.db', '--dir', 'migrations'], { cwd: dir });
    r = await runCli(['up', '--database', 'sqlite:two.db', '--color'], { cwd: dir, env: { NO_COLOR: undefined } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /\u001b\[32mapplied 1 a/);
    r = await runCli(['up', '--database', 'sqlite:three.db', '--color', '--no-color'], { cwd: dir, env: { NO_COLOR: undefined } });
    assert.doesNotMatch(r.stdout, /\u001b\[/);
  });
});

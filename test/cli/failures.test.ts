/**
 * Failures through the CLI on every dialect: a failing statement names file and line and rolls
 * back (exit 1); a non-transactional migration that fails half-way is PARTIAL (exit 5) and resumes
 * after repair; bad input is refused before anything runs (exit 2).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_KINDS, describeDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { count, eventActions, historyRows, tableExists } from '../helpers/inspect.js';

for (const kind of ALL_KINDS) {
  describe(`failures on ${kind}`, async () => {
    const { opts, db: testDb } = await describeDb(kind);

    test('a failing statement names the file, line and database message; the migration is rolled back (exit 1)', opts, async () => {
      const db = testDb();
      const dir = tempDir({
        '0001_ok.sql': 'CREATE TABLE t1 (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);\n',
        // DML only, so it is transactional on every engine (MySQL too).
        '0002_bad.sql': `-- godwit:up
INSERT INTO t1 (id, n) VALUES (1, 1);

INSERT INTO t1 (id, n)
  VALUES (2, NULL);
`,
      });
      const r = await runCli(['--database', db.url, '--dir', dir, 'up']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /0002_bad\.sql:(4|5): migration 2 failed: .*(null|NULL)/);
      assert.match(r.stderr, /statement 2: INSERT INTO t1/);
      assert.match(r.stderr, /rolled back/);
      assert.equal(await count(db, 't1'), 0, 'the first INSERT was rolled back');
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1]);
      assert.ok((await eventActions(db)).includes('fail:2'));
    });

    test('a non-transactional migration failing half-way is PARTIAL (exit 5), and resumes after repair --retry-from', opts, async () => {
      const db = testDb();
      const dir = tempDir({
        '0001_steps.sql': `-- godwit:no-transaction
CREATE TABLE s1 (id INTEGER PRIMARY KEY);
CREATE TABLE s2 (id INTEGER PRIMARY KEY);
INSERT INTO s_missing (id) VALUES (1);
CREATE TABLE s3 (id INTEGER PRIMARY KEY);
`,
      });
      const url = db.url;
      let r = await runCli(['--database', url, '--dir', dir, '--table', 'steps_history', 'up']);
      assert.equal(r.code, 5, r.stderr);
      assert.match(r.stderr, /PARTIAL: statements 1-2 of 4 were applied/);
      assert.match(r.stderr, /0001_steps\.sql:4/);
      assert.match(r.stderr, /godwit repair 1 --retry-from 3/);
      const rows = await historyRows(db, 'steps_history');
      assert.deepEqual(rows.map((h) => [h.status, h.statements_applied, h.statements_total]), [['failed', 2, 4]]);
      assert.equal(await tableExists(db, 's2'), true);
      // up refuses until resolved
      r = await runCli(['--database', url, '--dir', dir, '--table', 'steps_history', 'up']);
      assert.equal(r.code, 5);
      r = await runCli(['--database', url, '--dir', dir, '--table', 'steps_history', 'status']);
      assert.equal(r.code, 5);
      assert.match(r.stdout, /failed \(2\/4\)/);
      // fix the file, then resume from statement 3
      writeFileSync(join(dir, '0001_steps.sql'), `-- godwit:no-transaction
CREATE TABLE s1 (id INTEGER PRIMARY KEY);
CREATE TABLE s2 (id INTEGER PRIMARY KEY);
INSERT INTO s2 (id) VALUES (1);
CREATE TABLE s3 (id INTEGER PRIMARY KEY);
`);
      r = await runCli(['--database', url, '--dir', dir, '--table', 'steps_history', 'repair', '1', '--retry-from', '3']);
      assert.equal(r.code, 0, r.stderr);
      r = await runCli(['--database', url, '--dir', dir, '--table', 'steps_history', 'up']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /resuming 1 steps at statement 3/);
      assert.equal(await count(db, 's2'), 1);
      assert.equal(await tableExists(db, 's3'), true);
      const after = await historyRows(db, 'steps_history');
      assert.deepEqual(after.map((h) => [h.status, h.statements_applied]), [['applied', 4]]);
      assert.deepEqual((await eventActions(db, 'steps_history_events')), ['partial:1', 'repair:1', 'resume:1', 'up:1']);
    });

    test('a failing first statement of a non-transactional migration leaves nothing (exit 1)', opts, async () => {
      const db = testDb();
      const dir = tempDir({ '0001_x.sql': `-- godwit:no-transaction\nINSERT INTO nope (id) VALUES (1);\nCREATE TABLE x1 (id INTEGER);\n` });
      const r = await runCli(['--database', db.url, '--dir', dir, '--table', 'x_history', 'up']);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /Nothing of migration 1 was applied/);
      assert.deepEqual(await historyRows(db, 'x_history'), []);
    });
  });
}

describe('bad input is refused before anything runs (exit 2)', () => {
  const cases: Record<string, Record<string, string | Buffer>> = {
    'two files with one version': { '0001_a.sql': 'SELECT 1;', '001_b.sql': 'SELECT 1;' },
    'a file name that does not parse': { '0001_a.sql': 'SELECT 1;', 'create_users.sql': 'SELECT 1;' },
    'down marker before up': { '0001_a.sql': '-- godwit:down\nSELECT 1;\n-- godwit:up\nSELECT 2;\n' },
    'empty up section': { '0001_a.sql': '-- godwit:up\n-- nothing here\n-- godwit:down\nSELECT 1;\n' },
    'a .down.sql without its .up.sql': { '0001_a.up.sql': 'SELECT 1;', '0002_b.down.sql': 'SELECT 1;' },
    'a file that is not UTF-8': { '0001_a.sql': Buffer.from([0x53, 0x45, 0x4c, 0x45, 0x43, 0x54, 0x20, 0xff, 0xfe, 0x3b]) },
  };
  for (const [name, files] of Object.entries(cases)) {
    test(name, async () => {
      const dir = tempDir(files);
      const dbFile = join(dir, 'app.db');
      const r = await runCli(['--database', `sqlite://${dbFile}`, '--dir', dir, 'up']);
      assert.equal(r.code, 2, `${r.stdout}\n${r.stderr}`);
      assert.match(r.stderr, /godwit: error: .*(0001_a|001_b|create_users|0002_b)/);
      const { existsSync } = await import('node:fs');
      assert.equal(existsSync(dbFile), false, 'the database was not even opened');
    });
  }

  test('an unknown flag and an unknown command exit 2 with a usage hint', async () => {
    let r = await runCli(['up', '--bogus']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bogus/);
    r = await runCli(['migrate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Unknown command "migrate"/);
  });
});

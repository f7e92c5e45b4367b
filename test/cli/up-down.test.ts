/**
 * The core run loop through the built CLI, on every dialect: up, no-op, down, redo, status,
 * history and audit rows, dry-run, JSON output.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { columnNames, count, eventActions, historyRows, tableExists } from '../helpers/inspect.js';

const FILES = {
  '0001_create_users.sql': `-- godwit:up
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email VARCHAR(100) NOT NULL
);

-- godwit:down
DROP TABLE users;
`,
  '0002_add_name.sql': `-- godwit:up
ALTER TABLE users ADD COLUMN name VARCHAR(50);
-- godwit:down
ALTER TABLE users DROP COLUMN name;
`,
  '0003_seed.sql': `INSERT INTO users (id, email) VALUES (1, 'a@example.com');
INSERT INTO users (id, email) VALUES (2, 'b@example.com');
-- godwit:down
DELETE FROM users;
`,
};

for (const kind of ALL_KINDS) {
  describe(`up/down on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    let db: TestDb;
    let dir: string;
    const cli = (...args: string[]) => runCli(['--database', db.url, '--dir', dir, ...args]);
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind);
      dir = tempDir(FILES);
    });
    after(async () => {
      await db?.drop();
    });

    test('dry-run prints the SQL and touches nothing', opts, async () => {
      const r = await cli('up', '--dry-run');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /CREATE TABLE users/);
      assert.match(r.stdout, /INSERT INTO users \(id, email\) VALUES \(2/);
      assert.equal(await tableExists(db, 'users'), false);
      assert.equal(await tableExists(db, 'godwit_migrations'), false);
    });

    test('up applies every migration with its history row and audit event', opts, async () => {
      const r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /applied 1 create_users/);
      assert.match(r.stdout, /applied 3 seed/);
      assert.deepEqual(await columnNames(db, 'users'), ['id', 'email', 'name']);
      assert.equal(await count(db, 'users'), 2);
      const rows = await historyRows(db);
      assert.deepEqual(rows.map((h) => [h.version, h.name, h.status, h.phase]), [
        [1, 'create_users', 'applied', 'pre'],
        [2, 'add_name', 'applied', 'pre'],
        [3, 'seed', 'applied', 'pre'],
      ]);
      assert.equal(rows[2]!.statements_total, 2);
      assert.match(rows[0]!.checksum, /^[0-9a-f]{64}$/);
      assert.ok(rows[0]!.applied_by.length > 0);
      assert.deepEqual(await eventActions(db), ['up:1', 'up:2', 'up:3']);
    });

    test('a second up has nothing to do and exits 0', opts, async () => {
      const r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /nothing to do: 3 of 3 migrations applied/);
    });

    test('status shows every migration; --json is one document', opts, async () => {
      const r = await cli('status');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /1\s+create_users\s+pre\s+applied/);
      const j = await cli('status', '--json');
      assert.equal(j.code, 0, j.stderr);
      const doc = JSON.parse(j.stdout) as { migrations: Array<{ version: number; status: string }>; pending: number[] };
      assert.deepEqual(doc.migrations.map((m) => [m.version, m.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
      assert.deepEqual(doc.pending, []);
    });

    test('down reverts one step by default, --to and --all, and redo', opts, async () => {
      let r = await cli('down');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await count(db, 'users'), 0);
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1, 2]);
      r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
      r = await cli('redo');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await count(db, 'users'), 2);
      r = await cli('down', '--to', '1');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await columnNames(db, 'users'), ['id', 'email']);
      r = await cli('down', '--all');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await tableExists(db, 'users'), false);
      assert.deepEqual(await historyRows(db), []);
      const events = await eventActions(db);
      assert.deepEqual(events.slice(-3), ['down:3', 'down:2', 'down:1']);
    });

    test('status --exit-code is 1 while migrations are pending', opts, async () => {
      const r = await cli('status', '--exit-code');
      assert.equal(r.code, 1);
      assert.match(r.stdout, /0 applied, 3 pending/);
    });

    test('up --step and --to apply a prefix', opts, async () => {
      let r = await cli('up', '--step', '1');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1]);
      r = await cli('up', '--to', '2');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1, 2]);
      r = await cli('up', '--json');
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; command?: string; applied?: number[]; durationMs?: number });
      const last = lines.at(-1)!;
      assert.deepEqual([last.type, last.command, last.applied, typeof last.durationMs], ['result', 'up', [3], 'number']);
      assert.ok(lines.some((l) => l.type === 'migration-done'));
    });

    test('history lists rows and the audit log', opts, async () => {
      const r = await cli('history', '--json');
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { rows: Array<{ version: number }>; events: Array<{ action: string }> };
      assert.deepEqual(doc.rows.map((x) => x.version), [1, 2, 3]);
      assert.ok(doc.events.some((e) => e.action === 'down'));
    });
  });
}

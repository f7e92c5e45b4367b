/**
 * Situation 9 of the issue: `godwit wait`, the gate for app pods. Waiters started before the
 * migration run exit 0 only once every migration of their folder is applied (none exits while the
 * last migration is held in its gate); `--timeout` gives exit 4 saying what is pending (and that
 * the last run failed, when it did); an unreachable database gives exit 3/4 within the timeout,
 * saying what it waits for, password masked; `--phase pre` is ready while a `post` migration is
 * still pending.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { historyRows } from '../helpers/inspect.js';
import { GateDir, MARKS_TABLE, Procs, commonFlags, gatedMigration, markMigration, show } from '../helpers/chaos.js';

const WAITERS = 3;

for (const kind of ALL_KINDS) {
  describe(`chaos: godwit wait on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    const dbs: TestDb[] = [];
    after(async () => {
      await procs.killAll();
      for (const d of dbs) await d.drop();
      gates.remove();
    });
    async function newDb(): Promise<TestDb> {
      const db = await createTestDb(kind, 'gww');
      dbs.push(db);
      return db;
    }

    test(`${WAITERS} waiters started before up exit 0 only after the last migration is applied`, opts, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_m2.sql': markMigration(2),
        '0003_last.mjs': gatedMigration({ gate: 'last', before: ["INSERT INTO marks (v, who) VALUES (3, '$PID')"] }),
      });
      const flags = commonFlags(db, dir);
      const waiters = Array.from({ length: WAITERS }, () => procs.cli([...flags, 'wait', '--poll-interval', '100ms', '--timeout', '60s']));
      for (const w of waiters) await w.waitFor(/waiting for 3 migration\(s\)/, 'the first wait progress line');

      const up = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('last');
      // Migrations 1 and 2 are applied, 3 runs (held in its gate): the waiters poll on and stay.
      await new Promise((r) => setTimeout(r, 1500));
      assert.deepEqual((await historyRows(db)).filter((h) => h.status === 'applied').map((h) => h.version), [1, 2]);
      for (const w of waiters) assert.ok(w.running(), `waiter ${w.pid} exited while migration 3 was still running: ${show(w.result)}`);

      const releasedAt = Date.now();
      gates.release('last');
      const u = await up.done;
      assert.equal(u.code, 0, show(u));
      for (const w of waiters) {
        const r = await w.done;
        assert.equal(r.code, 0, show(r));
        assert.match(r.stdout, /migrations are applied: ready/);
        assert.ok(w.exitedAt! >= releasedAt, 'exited after the gate opened');
      }
    });

    test('wait --timeout with pending migrations exits 4 naming them; a failed last run is said', opts, async () => {
      const db = await newDb();
      const dir = tempDir({ '0001_marks.sql': MARKS_TABLE, '0002_m2.sql': markMigration(2) });
      const flags = commonFlags(db, dir);
      let r = await runCli([...flags, 'wait', '--timeout', '1s', '--poll-interval', '200ms']);
      assert.equal(r.code, 4, show(r));
      assert.match(r.stderr, /Timed out after \d+s waiting for migrations 1, 2 to be applied/);

      const bad = tempDir({ '0001_marks.sql': MARKS_TABLE, '0002_bad.sql': 'INSERT INTO marks (v, who) VALUES (NULL, NULL);\n' });
      const failed = await runCli([...commonFlags(db, bad), 'up']);
      assert.equal(failed.code, 1, show(failed));
      r = await runCli([...commonFlags(db, bad), 'wait', '--timeout', '1s', '--poll-interval', '200ms']);
      assert.equal(r.code, 4, show(r));
      assert.match(r.stderr, /waiting for migrations 2 to be applied; the last run failed on migration 2 \(bad\)/);
    });

    test(`wait against a closed port exits 3 or 4 within its timeout, saying what it waits for${kind === 'sqlite' ? ' (no port: not applicable)' : ''}`, { skip: opts.skip ?? (kind === 'sqlite' ? 'SQLite has no port (not applicable)' : undefined) }, async () => {
      const dir = tempDir({ '0001_marks.sql': MARKS_TABLE });
      const url = kind === 'postgres' ? 'postgres://postgres:s3cr3tpw@127.0.0.1:1/nowhere' : 'mysql://root:s3cr3tpw@127.0.0.1:1/nowhere';
      const r = await runCli(['--database', url, '--dir', dir, 'wait', '--timeout', '3s', '--poll-interval', '200ms']);
      assert.ok(r.code === 3 || r.code === 4, show(r));
      assert.match(r.stderr, /waiting for migrations 1 to be applied|Could not connect/);
      assert.match(r.stdout + r.stderr, /127\.0\.0\.1:1/);
      assert.doesNotMatch(r.stdout + r.stderr, /s3cr3tpw/);
    });

    test('wait --phase pre is ready while a post migration is pending', opts, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_contract.sql': `-- godwit:phase post\n${markMigration(2)}`,
      });
      const flags = commonFlags(db, dir);
      const up = await runCli([...flags, 'up', '--phase', 'pre']);
      assert.equal(up.code, 0, show(up));
      const pre = await runCli([...flags, 'wait', '--phase', 'pre', '--timeout', '10s']);
      assert.equal(pre.code, 0, show(pre));
      const all = await runCli([...flags, 'wait', '--timeout', '1s', '--poll-interval', '200ms']);
      assert.equal(all.code, 4, show(all));
      assert.match(all.stderr, /waiting for migrations 2 to be applied/);
    });
  });
}

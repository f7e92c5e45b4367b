/**
 * Situation 3: the lock holder is SIGKILLed in the middle of a long transactional migration (a
 * node dies). The database rolls its work back, the lock frees itself, and the runs that were
 * already waiting for the lock finish the job: every migration applied exactly once.
 *
 * On PostgreSQL and MariaDB the holder is killed while blocked INSIDE a statement on the server
 * (a lock the test holds), and the survivors must get the migration lock while that gate is
 * still closed: the server noticed the dead client mid-statement (PostgreSQL:
 * client_connection_check_interval). On SQLite the OS frees the file lock of a dead process.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { tempDir } from '../helpers/cli.js';
import { eventActions, historyRows } from '../helpers/inspect.js';
import {
  GateDir,
  MARKS_TABLE,
  Procs,
  commonFlags,
  gatedMigration,
  holdServerGate,
  jsonLines,
  markCounts,
  markMigration,
  marksBy,
  newServerGateKeys,
  show,
  type HeldServerGate,
} from '../helpers/chaos.js';
import { until } from '../helpers/cli.js';

for (const kind of ALL_KINDS) {
  describe(`chaos: SIGKILL the lock holder on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    let db: TestDb | undefined;
    let serverGate: HeldServerGate | undefined;
    before(async () => {
      if (!opts.skip) db = await createTestDb(kind, 'gwk');
    });
    after(async () => {
      await procs.killAll();
      await serverGate?.release();
      await db?.drop();
      gates.remove();
    });

    test('survivors started before the kill finish the job; the killed run left nothing behind', opts, async () => {
      const keys = newServerGateKeys();
      serverGate = await holdServerGate(db!, keys);
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_long.mjs': gatedMigration({ gate: 'long', before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"], server: keys }),
        '0003_m3.sql': markMigration(3),
      });
      const flags = [...commonFlags(db!, dir), '--json'];
      const holder = procs.cli([...flags, 'up'], { env: gates.env });
      const [entered] = await gates.waitEntered('long');
      assert.equal(entered, holder.pid, 'the first run holds the lock and is inside migration 2');
      if (serverGate) await until(async () => (await serverGate!.waiting()) === 1, 30_000, 'the holder to block on the server');

      const survivors = [procs.cli([...flags, 'up'], { env: gates.env }), procs.cli([...flags, 'up'], { env: gates.env })];
      for (const s of survivors) await s.waitFor(/"type":"connected"/, 'connected');

      holder.child.kill('SIGKILL');
      const killed = await holder.done;
      assert.equal(killed.signal, 'SIGKILL');

      // A survivor gets the lock and reaches the gate while the gate is still closed: the lock of
      // the dead holder was freed without any help from the test.
      const both = await gates.waitEntered('long', 2, 45_000);
      assert.ok(both.some((pid) => survivors.some((s) => s.pid === pid)), 'a survivor entered migration 2');
      gates.release('long');
      await serverGate?.release();

      const results = await Promise.all(survivors.map((s) => s.done));
      results.forEach((r) => assert.equal(r.code, 0, show(r)));
      const applied = results.map((r) => jsonLines(r.stdout).find((e) => e.type === 'result')?.applied as number[]);
      assert.deepEqual(applied.map((a) => a.length).sort(), [0, 2], `one survivor applied 2 and 3: ${JSON.stringify(applied)}`);

      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 }, 'each migration ran exactly once');
      assert.equal(await marksBy(db!, holder.pid), 0, "the killed run's INSERT was rolled back by the database");
      assert.deepEqual((await historyRows(db!)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
      assert.deepEqual(await eventActions(db!), ['up:1', 'up:2', 'up:3']);
    });
  });
}

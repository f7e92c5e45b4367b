/**
 * Pattern "initContainer": every replica of the app runs `godwit up` before the app starts, so a
 * Deployment of N replicas starts N `up` processes at once, on every rollout and every pod restart.
 *
 * 1. First deploy: N processes at once on an empty database: all exit 0, every migration applied
 *    exactly once, by one of them.
 * 2. Pod restarts: N more on the migrated database: all exit 0 and apply nothing.
 * 3. Rolling update: the new version's N replicas (two more migrations, the last one held at a gate
 *    the test controls) start together with restarts of the OLD version (its folder, all applied):
 *    the old pods exit 0 while the new migration is still running; the new pods exit 0 once the
 *    gate opens; each new migration applied once.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { historyRows } from '../helpers/inspect.js';
import { Dirs, Gate, MARKS_TABLE, Procs, appliedBy, markCounts, markSql, show, target } from './scenario-kit.js';

const N = 6;

const V1 = {
  '0001_marks.sql': MARKS_TABLE,
  '0002_m2.sql': markSql(2),
  '0003_m3.sql': markSql(3),
};

for (const kind of ALL_KINDS) {
  describe(`initContainer pattern on ${kind}: ${N} replicas run up at once`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const dirs = new Dirs();
    const gate = new Gate('v2');
    let db: TestDb | undefined;
    let v1: string;
    let v2: string;
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind, 'gwk8sic');
      v1 = dirs.make(V1);
      v2 = dirs.make({ ...V1, '0004_m4.sql': markSql(4), '0005_m5.mjs': gate.migration(5) });
    });
    after(async () => {
      if (!gate.isOpen()) gate.open();
      await procs.killAll();
      gate.remove();
      dirs.removeAll();
      await db?.drop();
    });

    test('first deploy: all exit 0, each migration applied once by one replica', opts, async () => {
      const pods = Array.from({ length: N }, (_, i) => procs.cli(`pod ${i}`, [...target(db!, v1), 'up', '--json']));
      await Promise.all(pods.map((p) => p.done));
      for (const p of pods) assert.equal(p.result()!.code, 0, show(p));
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
      assert.deepEqual((await historyRows(db!)).map((h) => [h.version, h.status]), [
        [1, 'applied'],
        [2, 'applied'],
        [3, 'applied'],
      ]);
      const appliers = pods.map(appliedBy).filter((a) => a.length > 0);
      assert.deepEqual(appliers, [[1, 2, 3]], 'exactly one replica applied, all three migrations');
    });

    test('pod restarts: all exit 0 and apply nothing', opts, async () => {
      const pods = Array.from({ length: N }, (_, i) => procs.cli(`restart ${i}`, [...target(db!, v1), 'up', '--json']));
      await Promise.all(pods.map((p) => p.done));
      for (const p of pods) {
        assert.equal(p.result()!.code, 0, show(p));
        assert.deepEqual(appliedBy(p), [], show(p));
      }
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
    });

    test('rolling update: old replicas exit 0 while the new version migrates; new replicas apply each migration once', opts, async () => {
      const fresh = Array.from({ length: N }, (_, i) => procs.cli(`new ${i}`, [...target(db!, v2), 'up', '--json']));
      await gate.waitEntered(1);
      // The new version's migration 5 is running (and holds the lock). Old pods restart meanwhile.
      const old = Array.from({ length: 3 }, (_, i) => procs.cli(`old ${i}`, [...target(db!, v1), 'up', '--json']));
      await Promise.all(old.map((p) => p.done));
      assert.equal(gate.isOpen(), false);
      for (const p of old) {
        assert.equal(p.result()!.code, 0, show(p));
        assert.deepEqual(appliedBy(p), []);
      }
      for (const p of fresh) assert.equal(p.result(), undefined, `${p.label} finished while migration 5 was held at the gate: ${show(p)}`);
      assert.equal(gate.entered().length, 1, 'only the lock holder runs the migration');

      gate.open();
      await Promise.all(fresh.map((p) => p.done));
      for (const p of fresh) assert.equal(p.result()!.code, 0, show(p));
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1, 4: 1, 5: 1 });
      assert.deepEqual(
        fresh.map(appliedBy).filter((a) => a.length > 0),
        [[4, 5]],
      );
      assert.deepEqual((await historyRows(db!)).map((h) => [h.version, h.status]), [
        [1, 'applied'],
        [2, 'applied'],
        [3, 'applied'],
        [4, 'applied'],
        [5, 'applied'],
      ]);
    });
  });
}

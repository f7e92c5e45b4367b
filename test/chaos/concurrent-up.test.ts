/**
 * Situation 1: twenty `godwit up` processes start at the same instant on an empty database (the
 * initContainers of every replica at once). Every migration is applied exactly once, all twenty
 * exit 0, the history is consistent, and the history table is created under the lock.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { tempDir } from '../helpers/cli.js';
import { eventActions, historyRows } from '../helpers/inspect.js';
import { MARKS_TABLE, Procs, commonFlags, markCounts, markMigration, show } from '../helpers/chaos.js';

const N = 20;

for (const kind of ALL_KINDS) {
  describe(`chaos: ${N} concurrent up on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    let db: TestDb | undefined;
    before(async () => {
      if (!opts.skip) db = await createTestDb(kind, 'gwc');
    });
    after(async () => {
      await procs.killAll();
      await db?.drop();
    });

    test(`${N} processes released at once: each migration applied exactly once, all exit 0`, opts, async () => {
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_m2.sql': markMigration(2),
        '0003_m3.sql': markMigration(3),
        '0004_m4.sql': markMigration(4),
      });
      const runs = Array.from({ length: N }, () => procs.cli([...commonFlags(db!, dir), '--json', 'up']));
      const results = await Promise.all(runs.map((p) => p.done));
      results.forEach((r, i) => assert.equal(r.code, 0, `process ${i}: ${show(r)}`));

      // Exactly once: every data migration inserted one row (marks has no unique key).
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1, 4: 1 });
      const rows = await historyRows(db!);
      assert.deepEqual(rows.map((h) => [h.version, h.status, h.statements_applied, h.statements_total]), [
        [1, 'applied', 1, 1],
        [2, 'applied', 1, 1],
        [3, 'applied', 1, 1],
        [4, 'applied', 1, 1],
      ]);
      assert.deepEqual(await eventActions(db!), ['up:1', 'up:2', 'up:3', 'up:4']);

      // Exactly one process applied anything; the other nineteen found nothing to do (either on
      // the fast path or after re-reading the history under the lock).
      const applied = results.map((r) => {
        const res = r.stdout.split('\n').find((l) => l.includes('"type":"result"'));
        assert.ok(res, `a result line: ${show(r)}`);
        return (JSON.parse(res) as { applied: number[] }).applied;
      });
      const appliers = applied.filter((a) => a.length > 0);
      assert.equal(appliers.length, 1, `one process applied: ${JSON.stringify(applied)}`);
      assert.deepEqual(appliers[0], [1, 2, 3, 4]);
      // Nobody stumbled over a half-created history table (it is created under the lock only).
      for (const r of results) assert.doesNotMatch(r.stdout + r.stderr, /already exists|duplicate key|error/i, show(r));
    });

    test(`${N / 2} processes at once in lease mode: each migration applied exactly once, all exit 0`, opts, async () => {
      await db!.sql('DROP TABLE marks');
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_m2.sql': markMigration(2),
        '0003_m3.sql': markMigration(3),
      });
      const flags = [...commonFlags(db!, dir), '--table', 'hist_lease', '--lock-mode', 'lease'];
      const results = await Promise.all(Array.from({ length: N / 2 }, () => procs.cli([...flags, 'up']).done));
      results.forEach((r, i) => assert.equal(r.code, 0, `process ${i}: ${show(r)}`));
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
      assert.deepEqual((await historyRows(db!, 'hist_lease')).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
      assert.deepEqual(await eventActions(db!, 'hist_lease_events'), ['up:1', 'up:2', 'up:3']);
      assert.equal(results.filter((r) => /applied 1 marks/.test(r.stdout)).length, 1);
    });
  });
}

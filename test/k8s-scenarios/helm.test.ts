/**
 * Pattern "Helm hooks" with expand/contract phases, over two releases, in the order Helm runs them:
 * the pre-install/pre-upgrade hook Job (`up --phase pre`), then the app's pods (initContainer
 * `wait --phase pre`), then, after the rollout, the post-install/post-upgrade hook Job
 * (`up --phase post`).
 *
 * Release 1: 0001 marks (pre), 0002 expand (pre), 0003 contract (post).
 * Release 2 adds 0004 contract (post) BELOW 0005 expand (pre): the pre hook applies 5 while 4 stays
 * pending, which is by design (not an out-of-order error), and the post hook then applies 4.
 * In each release the app's `wait --phase pre` exits 0 while the post migration is pending, and a
 * plain `wait` (all phases) would still be waiting. App pods of the new release started BEFORE
 * the pre hook finished (a pre hook held at a gate) keep waiting until it is done.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { historyRows } from '../helpers/inspect.js';
import { Dirs, Gate, MARKS_TABLE, PATIENCE_MS, Procs, appliedBy, markCounts, markSql, show, target, until, type Proc } from './scenario-kit.js';

const progress = (p: Proc) => p.events().filter((e) => e.type === 'wait-progress') as Array<{ pending: number[] }>;

const R1 = {
  '0001_marks.sql': MARKS_TABLE,
  '0002_expand.sql': markSql(2),
  '0003_contract.sql': markSql(3, 'post'),
};

for (const kind of ALL_KINDS) {
  describe(`Helm hook pattern on ${kind}: pre hook, app gate, post hook`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const dirs = new Dirs();
    const gate = new Gate('pre-hook-r2');
    let db: TestDb | undefined;
    let r1: string;
    let r2: string;
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind, 'gwk8shelm');
      r1 = dirs.make(R1);
      r2 = dirs.make({ ...R1, '0004_contract.sql': markSql(4, 'post'), '0005_expand.mjs': gate.migration(5) });
    });
    after(async () => {
      if (!gate.isOpen()) gate.open();
      await procs.killAll();
      gate.remove();
      dirs.removeAll();
      await db?.drop();
    });

    const history = async () => (await historyRows(db!)).map((h) => [h.version, h.status, h.phase]);
    const run = async (label: string, dir: string, ...args: string[]) => {
      const p = procs.cli(label, [...target(db!, dir), ...args]);
      await p.done;
      return p;
    };

    test('release 1: pre hook, then the app gate opens with the post migration pending, then the post hook', opts, async () => {
      const pre = await run('r1 pre hook', r1, 'up', '--phase', 'pre', '--json');
      assert.equal(pre.result()!.code, 0, show(pre));
      assert.deepEqual(appliedBy(pre), [1, 2]);

      const app = await run('r1 app pod', r1, 'wait', '--phase', 'pre');
      assert.equal(app.result()!.code, 0, `the app's gate must open with only post migrations pending: ${show(app)}`);
      assert.deepEqual(await history(), [
        [1, 'applied', 'pre'],
        [2, 'applied', 'pre'],
      ]);
      const all = await run('r1 wait all', r1, 'wait', '--timeout', '1s', '--poll-interval', '100ms');
      assert.equal(all.result()!.code, 4, `a wait for every phase still waits for 3: ${show(all)}`);
      const status = await run('r1 status', r1, 'status');
      assert.equal(status.result()!.code, 0, show(status));
      assert.match(status.stdout(), /^3\s+contract\s+post\s+pending/m, show(status));

      const post = await run('r1 post hook', r1, 'up', '--phase', 'post', '--json');
      assert.equal(post.result()!.code, 0, show(post));
      assert.deepEqual(appliedBy(post), [3]);
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
    });

    test('release 2: the new pods wait for the pre hook; a pending post below an applied pre is by design', opts, async () => {
      // The new ReplicaSet's pods may start while the pre hook runs (e.g. a manual apply).
      const pods = Array.from({ length: 3 }, (_, i) => procs.cli(`r2 app pod ${i}`, [...target(db!, r2), 'wait', '--json', '--phase', 'pre', '--poll-interval', '100ms', '--timeout', '10m']));
      const pre = procs.cli('r2 pre hook', [...target(db!, r2), 'up', '--phase', 'pre', '--json']);
      await gate.waitEntered(1);
      // Every pod has polled and sees the pre migration 5 pending (4 is post: not its concern).
      await until(() => pods.every((p) => progress(p).length > 0 || p.result() !== undefined), PATIENCE_MS, 'a progress line from every new pod');
      assert.equal(gate.isOpen(), false);
      for (const p of pods) {
        assert.equal(p.result(), undefined, `${p.label} passed the gate before the pre hook finished: ${show(p)}`);
        assert.deepEqual(progress(p).at(-1)!.pending, [5]);
      }
      assert.deepEqual(
        (await history()).filter(([, status]) => status === 'applied'),
        [
          [1, 'applied', 'pre'],
          [2, 'applied', 'pre'],
          [3, 'applied', 'post'],
        ],
      );
      gate.open();
      await pre.done;
      assert.equal(pre.result()!.code, 0, show(pre));
      assert.deepEqual(appliedBy(pre), [5], 'the pre hook applies 5 and leaves the post migration 4 for later');
      await Promise.all(pods.map((p) => p.done));
      for (const p of pods) assert.equal(p.result()!.code, 0, show(p));
      assert.deepEqual(await history(), [
        [1, 'applied', 'pre'],
        [2, 'applied', 'pre'],
        [3, 'applied', 'post'],
        [5, 'applied', 'pre'],
      ]);

      // Old pods of release 1 restarting during the rollout still pass their gate.
      const old = await run('r1 pod restart', r1, 'wait', '--phase', 'pre');
      assert.equal(old.result()!.code, 0, show(old));
      // Nothing complains about 4 pending below 5 while the contract phase is not run yet.
      const status = await run('r2 status', r2, 'status');
      assert.equal(status.result()!.code, 0, show(status));
      assert.match(status.stdout(), /^4\s+contract\s+post\s+pending/m, show(status));

      const post = await run('r2 post hook', r2, 'up', '--phase', 'post', '--json');
      assert.equal(post.result()!.code, 0, show(post));
      assert.deepEqual(appliedBy(post), [4]);
      const all = await run('r2 wait all', r2, 'wait');
      assert.equal(all.result()!.code, 0, show(all));
      const again = await run('r2 hooks re-run', r2, 'up', '--json');
      assert.equal(again.result()!.code, 0, show(again));
      assert.deepEqual(appliedBy(again), []);
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1, 4: 1, 5: 1 });
      assert.deepEqual(await history(), [
        [1, 'applied', 'pre'],
        [2, 'applied', 'pre'],
        [3, 'applied', 'post'],
        [4, 'applied', 'post'],
        [5, 'applied', 'pre'],
      ]);
    });
  });
}

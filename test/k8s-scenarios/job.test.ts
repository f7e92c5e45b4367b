/**
 * Pattern "Job": one migration Job runs `godwit up`; the app's pods gate on `godwit wait` in an
 * initContainer (no RBAC, no dependency on the Job object). The app pods usually start BEFORE the
 * Job finishes (kubectl apply of both at once), so:
 *
 * N `wait` processes are started first and have each reported the pending migrations; then the
 * Job's `up` starts and stops at a gate (its last migration, a code migration waiting for a file
 * the test creates). While the gate is closed every waiter keeps waiting: each reports again (its
 * periodic progress line) with the gated migration still pending, and none exits. The test opens
 * the gate: the Job exits 0, then every waiter exits 0. A wait that starts after the Job is done
 * passes at once, and a Job re-run by its backoffLimit (or a second Job of the same release)
 * applies nothing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { historyRows } from '../helpers/inspect.js';
import { Dirs, Gate, MARKS_TABLE, PATIENCE_MS, Procs, appliedBy, markCounts, markSql, show, target, until, type Proc } from './scenario-kit.js';

const N = 4;

/** wait-progress events of a waiter, in order. */
const progress = (p: Proc) => p.events().filter((e) => e.type === 'wait-progress') as Array<{ pending: number[]; waitedMs: number }>;

for (const kind of ALL_KINDS) {
  describe(`Job pattern on ${kind}: one up, ${N} app pods waiting`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const dirs = new Dirs();
    const gate = new Gate('job');
    let db: TestDb | undefined;
    let dir: string;
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind, 'gwk8sjob');
      dir = dirs.make({
        '0001_marks.sql': MARKS_TABLE,
        '0002_m2.sql': markSql(2),
        '0003_m3.mjs': gate.migration(3),
      });
    });
    after(async () => {
      if (!gate.isOpen()) gate.open();
      await procs.killAll();
      gate.remove();
      dirs.removeAll();
      await db?.drop();
    });

    test('the waiters exit 0 only after the Job has applied everything', opts, async () => {
      const waiters = Array.from({ length: N }, (_, i) => procs.cli(`app pod ${i}`, [...target(db!, dir), 'wait', '--json', '--poll-interval', '100ms', '--timeout', '10m']));
      // Every waiter is polling and has seen the migrations pending (the database is empty).
      await until(() => waiters.every((w) => progress(w).length >= 1 || w.result() !== undefined), PATIENCE_MS, 'a first progress line from every waiter');
      for (const w of waiters) {
        assert.equal(w.result(), undefined, `a waiter exited before the Job started: ${show(w)}`);
        assert.deepEqual(progress(w)[0]!.pending, [1, 2, 3]);
      }

      const job = procs.cli('job', [...target(db!, dir), 'up', '--json']);
      await gate.waitEntered(1);
      // Migrations 1 and 2 are committed, 3 is running behind the gate. Each waiter polls every
      // 100 ms and reports every 10 s: wait for its next report, which must still list 3.
      const reportsAtGate = waiters.map((w) => progress(w).length);
      await until(() => waiters.every((w, i) => progress(w).length > reportsAtGate[i]! || w.result() !== undefined), PATIENCE_MS, 'a progress line from every waiter while the gate is closed');
      assert.equal(gate.isOpen(), false);
      assert.equal(job.result(), undefined, `the Job finished at a closed gate: ${show(job)}`);
      for (const w of waiters) {
        assert.equal(w.result(), undefined, `a waiter exited while the Job's migration 3 was still running: ${show(w)}`);
        assert.deepEqual(progress(w).at(-1)!.pending, [3], `${w.label} sees 1 and 2 applied, 3 pending`);
      }

      gate.open();
      const jobResult = await job.done;
      assert.equal(jobResult.code, 0, show(job));
      assert.deepEqual(appliedBy(job), [1, 2, 3]);
      await Promise.all(waiters.map((w) => w.done));
      for (const w of waiters) {
        assert.equal(w.result()!.code, 0, show(w));
        const res = w.events().find((e) => e.type === 'result');
        assert.equal(res?.ready, true, show(w));
      }
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
      assert.deepEqual((await historyRows(db!)).map((h) => [h.version, h.status]), [
        [1, 'applied'],
        [2, 'applied'],
        [3, 'applied'],
      ]);
    });

    test('after the Job: a new pod passes the gate at once; a retried Job applies nothing', opts, async () => {
      const late = procs.cli('late pod', [...target(db!, dir), 'wait', '--json']);
      const retry = procs.cli('job retry', [...target(db!, dir), 'up', '--json']);
      const [l, r] = await Promise.all([late.done, retry.done]);
      assert.equal(l.code, 0, show(late));
      assert.deepEqual(progress(late), [], 'ready on its first look');
      assert.equal(r.code, 0, show(retry));
      assert.deepEqual(appliedBy(retry), []);
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
    });
  });
}

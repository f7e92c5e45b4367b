/**
 * Situation 7: lease mode (`--lock-mode lease`, for transaction-mode poolers). The holder is frozen
 * (SIGSTOP: a paused VM, a stuck node) in the middle of a migration; its lease expires; a second
 * runner takes the lease over and applies the migrations; when the frozen holder resumes
 * (SIGCONT) its fencing check fails before it writes any history: exit 4 (LockLostError), and its
 * transaction is rolled back. The history shows exactly one row per version.
 *
 * The takeover runner is itself held in migration 3 while the frozen one resumes, so the frozen
 * one meets a lease that another holder owns right now (fencing token 2).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { eventActions, historyRows } from '../helpers/inspect.js';
import { GateDir, MARKS_TABLE, Procs, applicationName, commonFlags, gatedMigration, markCounts, marksBy, show, waitStopped } from '../helpers/chaos.js';

for (const kind of ALL_KINDS) {
  describe(`chaos: lease taken over from a frozen holder on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    let db: TestDb | undefined;
    before(async () => {
      if (!opts.skip) db = await createTestDb(kind, 'gwl');
    });
    after(async () => {
      await procs.killAll();
      await db?.drop();
      gates.remove();
    });

    const inTx = kind === 'sqlite' ? 'SQLite: a holder frozen inside a transaction keeps the write lock of the whole file; see the next tests' : undefined;
    test('SIGSTOP the holder: the lease is taken over, and the resumed holder writes no history (exit 4)', { skip: opts.skip ?? inTx }, async () => {
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_long.mjs': gatedMigration({ gate: 'g2', before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"] }),
        '0003_next.mjs': gatedMigration({ gate: 'g3', before: ["INSERT INTO marks (v, who) VALUES (3, '$PID')"] }),
      });
      const flags = [...commonFlags(db!, dir), '--lock-mode', 'lease', '--lease-ttl', '2s'];
      const frozen = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('g2');
      frozen.child.kill('SIGSTOP');
      await waitStopped(frozen.pid);
      gates.release('g2');

      // --lease-ttl must reach the locker: with the default 30 s lease the taker would time out.
      const taker = procs.cli([...flags, '--lock-timeout', '15s', 'up'], { env: gates.env });
      await gates.waitEntered('g3');
      assert.deepEqual(gates.entered('g3'), [taker.pid], 'the second runner took the lease over and applied migration 2');
      const st = await runCli([...flags, '--json', 'lock', 'status']);
      assert.equal(st.code, 0, show(st));
      const status = JSON.parse(st.stdout) as { held: boolean; holder: { who: string } };
      assert.equal(status.held, true);
      assert.match(status.holder.who, new RegExp(await applicationName()));

      frozen.child.kill('SIGCONT');
      const f = await frozen.done;
      assert.equal(f.code, 4, show(f));
      assert.match(f.stderr, /lease .* was taken over by godwit .*\(fencing token 2\); this run stopped before writing history/);
      assert.ok(taker.running(), 'the new holder is still at work');

      gates.release('g3');
      const t = await taker.done;
      assert.equal(t.code, 0, show(t));
      assert.deepEqual((await historyRows(db!)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
      assert.deepEqual(await eventActions(db!), ['up:1', 'up:2', 'up:3'], 'exactly one up per version, none from the frozen holder');
      assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
      assert.equal(await marksBy(db!, frozen.pid), 0, "the frozen holder's transaction was rolled back");

      const free = await runCli([...flags, 'lock', 'status']);
      assert.match(free.stdout, /the migration lock is free/);
    });

    test('a holder frozen in a no-transaction migration that fails after it lost the lease writes nothing (exit 4)', opts, async () => {
      const table = 'hist_ntx';
      await db!.sql('DROP TABLE IF EXISTS marks');
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_code.mjs': gatedMigration({ gate: 'c2', noTransaction: true, before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"], failWith: 'boom after the gate' }),
      });
      const flags = [...commonFlags(db!, dir), '--table', table, '--lock-mode', 'lease', '--lease-ttl', '2s'];
      const frozen = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('c2');
      frozen.child.kill('SIGSTOP');
      await waitStopped(frozen.pid);

      // The new holder takes the lease over, finds migration 2 interrupted mid-code and refuses to guess.
      const taker = await runCli([...flags, 'up'], { env: gates.env });
      assert.equal(taker.code, 5, show(taker));
      assert.match(taker.stderr, /runner died while the code ran/);

      gates.release('c2');
      frozen.child.kill('SIGCONT');
      const f = await frozen.done;
      assert.equal(f.code, 4, show(f));
      assert.match(f.stderr, /lease .* was (released by someone else|taken over by).*this run stopped before writing history/);
      // Untouched by the frozen run: still the row the frozen run wrote while it held the lease.
      assert.deepEqual((await historyRows(db!, table)).map((h) => [h.version, h.status, h.statements_applied]), [[1, 'applied', 1], [2, 'running', 0]]);
      assert.deepEqual(await eventActions(db!, `${table}_events`), ['up:1'], 'no failure recorded by a run that lost its lease');
    });

    test('lock release frees the lease of a SIGKILLed holder at once (no wait for the lease to expire)', opts, async () => {
      const table = 'hist_rel';
      await db!.sql('DROP TABLE IF EXISTS marks');
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_long.mjs': gatedMigration({ gate: 'r2', before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"] }),
      });
      const flags = [...commonFlags(db!, dir), '--table', table, '--lock-mode', 'lease', '--lease-ttl', '10m'];
      const dead = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('r2');
      dead.child.kill('SIGKILL');
      await dead.done;
      gates.release('r2');

      const held = await runCli([...flags, 'lock', 'status']);
      assert.match(held.stdout, /held by godwit .*lease expires/, show(held));
      const blocked = await runCli([...flags, '--lock-timeout', '1s', 'up'], { env: gates.env });
      assert.equal(blocked.code, 4, show(blocked));
      const rel = await runCli([...flags, 'lock', 'release']);
      assert.equal(rel.code, 0, show(rel));
      assert.match(rel.stdout, /lease released/);
      const r = await runCli([...flags, '--lock-timeout', '5s', 'up'], { env: gates.env });
      assert.equal(r.code, 0, show(r));
      assert.deepEqual((await historyRows(db!, table)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied']]);
      assert.deepEqual(await markCounts(db!), { 2: 1 });
      assert.equal(await marksBy(db!, dead.pid), 0);
    });

    test('SQLite: a holder frozen inside a write transaction keeps the file locked; a second runner waits and times out (exit 4), nothing runs twice', { skip: opts.skip ?? (kind === 'sqlite' ? undefined : 'the SQLite case') }, async () => {
      const table = 'hist_busy';
      await db!.sql('DROP TABLE IF EXISTS marks');
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_long.mjs': gatedMigration({ gate: 'b2', before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"] }),
      });
      const flags = [...commonFlags(db!, dir), '--table', table, '--lock-mode', 'lease', '--lease-ttl', '2s'];
      const frozen = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('b2');
      frozen.child.kill('SIGSTOP');
      await waitStopped(frozen.pid);
      gates.release('b2');
      const waiter = await runCli([...flags, '--lock-timeout', '8s', 'up'], { env: gates.env });
      frozen.child.kill('SIGCONT');
      const f = await frozen.done;
      assert.equal(f.code, 0, show(f));
      assert.equal(waiter.code, 4, show(waiter));
      assert.match(waiter.stderr, /migration lock/);
      assert.deepEqual(await markCounts(db!), { 2: 1 });
      assert.deepEqual((await historyRows(db!, table)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied']]);
    });
  });
}

/**
 * Situation 4: SIGTERM (a rollout) and SIGINT during a long migration. The running migration is
 * cancelled on the server after --shutdown-grace and rolled back; nothing of it is recorded; the
 * lock is released; exit 143 / 130. Within the grace period a migration may finish, but no
 * further migration starts. A run still waiting for the lock stops at once.
 *
 * On PostgreSQL and MariaDB the gate is a statement blocked on a lock the test holds: only a
 * server-side cancel can end it, so a missing cancel shows as a hung run (killed by the harness,
 * failing the exit-code assertion). On SQLite (no server) the code migration stops when the hard
 * cancel aborts its context's signal.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir, until } from '../helpers/cli.js';
import { eventActions, historyRows } from '../helpers/inspect.js';
import {
  GateDir,
  MARKS_TABLE,
  Procs,
  commonFlags,
  gatedMigration,
  holdServerGate,
  markCounts,
  markMigration,
  newServerGateKeys,
  openSession,
  show,
  type HeldServerGate,
} from '../helpers/chaos.js';

for (const kind of ALL_KINDS) {
  describe(`chaos: signals on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    const dbs: TestDb[] = [];
    const held: HeldServerGate[] = [];
    after(async () => {
      await procs.killAll();
      for (const g of held) await g.release();
      for (const d of dbs) await d.drop();
      gates.remove();
    });

    async function setup(gate: string) {
      const db = await createTestDb(kind, 'gws');
      dbs.push(db);
      const keys = newServerGateKeys();
      const server = await holdServerGate(db, keys);
      if (server) held.push(server);
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_long.mjs': gatedMigration({ gate, before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"], server: keys }),
        '0003_m3.sql': markMigration(3),
      });
      const release = async () => {
        gates.release(gate);
        await server?.release();
      };
      const blocked = async () => {
        await gates.waitEntered(gate);
        if (server) await until(async () => (await server.waiting()) === 1, 30_000, 'the run to block on the server');
      };
      return { db, dir, release, blocked };
    }

    for (const [sig, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
      test(`${sig} during a long migration: cancelled on the server after --shutdown-grace, rolled back, lock free, exit ${code}`, opts, async () => {
        const gate = `long_${sig}`;
        const { db, dir, release, blocked } = await setup(gate);
        const run = procs.cli([...commonFlags(db, dir), '--shutdown-grace', '1s', 'up'], { env: gates.env });
        await blocked();
        run.child.kill(sig);
        await run.waitFor(new RegExp(`interrupted by ${sig}`), 'the signal to be announced');
        const r = await run.done;
        assert.equal(r.code, code, show(r));
        assert.match(r.stderr, new RegExp(`Migration 2 \\(0002_long\\.mjs\\) was cancelled by ${sig} after the 1s grace period and rolled back; nothing of it was recorded`));
        assert.equal(gates.released(gate), false, 'the gate was never opened: the cancel ended the migration');

        assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied']], 'nothing of migration 2 recorded');
        assert.deepEqual(await markCounts(db), {}, "migration 2's INSERT was rolled back");
        assert.deepEqual(await eventActions(db), ['up:1']);

        const status = await runCli([...commonFlags(db, dir), 'lock', 'status']);
        assert.equal(status.code, 0, show(status));
        assert.match(status.stdout, /the migration lock is free/);

        await release();
        const again = await runCli([...commonFlags(db, dir), '--lock-timeout', '5s', 'up'], { env: gates.env });
        assert.equal(again.code, 0, show(again));
        assert.deepEqual((await historyRows(db)).map((h) => h.version), [1, 2, 3]);
        assert.deepEqual(await markCounts(db), { 2: 1, 3: 1 });
      });
    }

    test('SIGTERM within the grace period: the running migration finishes, no further migration starts (exit 143)', opts, async () => {
      const gate = 'finish';
      const { db, dir, release, blocked } = await setup(gate);
      const run = procs.cli([...commonFlags(db, dir), '--shutdown-grace', '60s', 'up'], { env: gates.env });
      await blocked();
      run.child.kill('SIGTERM');
      await run.waitFor(/interrupted by SIGTERM/, 'the signal to be announced');
      await release();
      const r = await run.done;
      assert.equal(r.code, 143, show(r));
      assert.match(r.stdout, /applied 2 long/);
      assert.match(r.stderr, /Interrupted by SIGTERM before migration 3; 2 applied in this run/);
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1, 2]);
      assert.deepEqual(await markCounts(db), { 2: 1 });

      const again = await runCli([...commonFlags(db, dir), '--lock-timeout', '5s', 'up'], { env: gates.env });
      assert.equal(again.code, 0, show(again));
      assert.deepEqual(await markCounts(db), { 2: 1, 3: 1 });
    });

    const serverOnly = kind === 'sqlite' ? 'SQLite runs a statement synchronously: nothing can interrupt it (a SIGKILL after the pod grace period rolls it back)' : undefined;
    for (const mode of ['no-transaction', 'transactional'] as const) {
      const what = mode === 'no-transaction' ? 'the statement in flight is cancelled, earlier ones stay recorded, exit 143; the rerun resumes' : 'cancelled on the server, all of it rolled back, exit 143 (PostgreSQL: the migration is sent as one batch)';
      test(`SIGTERM during a ${mode} SQL migration: ${what}`, { skip: opts.skip ?? serverOnly }, async () => {
        const db = await createTestDb(kind, 'gws');
        dbs.push(db);
        // The gate: PostgreSQL an advisory lock, MariaDB a row lock, both held by the test. (Not
        // GET_LOCK on MariaDB: a cancelled GET_LOCK returns NULL instead of failing.)
        const keys = newServerGateKeys();
        let server: HeldServerGate;
        let gateSql: string;
        if (kind === 'postgres') {
          server = (await holdServerGate(db, keys))!;
          gateSql = `SELECT pg_advisory_lock(${keys.pgKey}), pg_advisory_unlock(${keys.pgKey});`;
        } else {
          await db.sql('CREATE TABLE gate_row (n INTEGER NOT NULL)');
          await db.sql('INSERT INTO gate_row (n) VALUES (0)');
          const s = await openSession(db);
          await s.query('START TRANSACTION');
          await s.query('SELECT n FROM gate_row FOR UPDATE');
          server = {
            waiting: async () => Number((await db.sql<{ n: unknown }>(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE INFO LIKE 'UPDATE gate_row%'`))[0]!.n),
            release: async () => {
              await s.query('COMMIT').catch(() => undefined);
              await s.close();
            },
          };
          gateSql = 'UPDATE gate_row SET n = n + 1;';
        }
        held.push(server);
        const dir = tempDir({
          '0001_marks.sql': MARKS_TABLE,
          '0002_steps.sql': `${mode === 'no-transaction' ? '-- godwit:no-transaction\n' : ''}INSERT INTO marks (v, who) VALUES (21, 'sql');\n${gateSql}\nINSERT INTO marks (v, who) VALUES (23, 'sql');\n`,
        });
        const flags = [...commonFlags(db, dir), '--ddl-lock-timeout', '0'];
        const run = procs.cli([...flags, '--shutdown-grace', '1s', 'up']);
        await until(async () => (await server.waiting()) === 1, 30_000, 'statement 2 to block on the server');
        run.child.kill('SIGTERM');
        const r = await run.done;
        assert.equal(r.code, 143, show(r));
        if (mode === 'no-transaction') {
          assert.match(r.stderr, /statement 2 of 3 .* was cancelled by SIGTERM after the grace period; statements 1-1 are applied and recorded\. The next run resumes at statement 2/);
          assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status, h.statements_applied]), [[1, 'applied', 1], [2, 'resume', 1]], show(r));
          assert.deepEqual(await markCounts(db), { 21: 1 });
        } else {
          assert.match(r.stderr, /Migration 2 \(0002_steps\.sql\) was cancelled by SIGTERM after the 1s grace period and rolled back; nothing of it was recorded/);
          assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied']], show(r));
          assert.deepEqual(await markCounts(db), {});
        }

        await server.release();
        const again = await runCli([...flags, 'up']);
        assert.equal(again.code, 0, show(again));
        if (mode === 'no-transaction') assert.match(again.stdout, /resuming 2 steps at statement 2: statement 2 was recorded as not started/);
        assert.deepEqual(await markCounts(db), { 21: 1, 23: 1 });
        assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status, h.statements_applied]), [[1, 'applied', 1], [2, 'applied', 3]]);
      });
    }

    test('SIGTERM while waiting for the lock: stops at once, nothing run (exit 143)', opts, async () => {
      const gate = 'holder';
      const { db, dir, release, blocked } = await setup(gate);
      const holder = procs.cli([...commonFlags(db, dir), 'up'], { env: gates.env });
      await blocked();
      const waiter = procs.cli([...commonFlags(db, dir), '--json', 'up'], { env: gates.env });
      await waiter.waitFor(/"type":"connected"/, 'the waiter to connect');
      waiter.child.kill('SIGTERM');
      const w = await waiter.done;
      assert.equal(w.code, 143, show(w));
      assert.match(w.stdout, /Interrupted by SIGTERM (while waiting for the migration lock|before taking the lock).*nothing was run/);
      assert.ok(holder.running(), 'the holder is untouched');
      assert.deepEqual(gates.entered(gate), [holder.pid], 'the waiter never entered a migration');

      await release();
      const h = await holder.done;
      assert.equal(h.code, 0, show(h));
      assert.deepEqual(await markCounts(db), { 2: 1, 3: 1 });
    });
  });
}

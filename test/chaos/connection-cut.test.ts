/**
 * Situation 5: the holder's connection is cut on the server (PostgreSQL pg_terminate_backend,
 * MariaDB KILL) in the middle of a migration: the holder exits 3 (connection lost, a retry
 * helps), the database rolled its work back, and a rerun applies everything exactly once.
 * The holder's session is found the way an operator would: `godwit lock status --json`.
 * SQLite has no server connection to cut: not applicable.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir, until } from '../helpers/cli.js';
import { eventActions, historyRows } from '../helpers/inspect.js';
import {
  GateDir,
  MARKS_TABLE,
  Procs,
  applicationName,
  commonFlags,
  gatedMigration,
  holdServerGate,
  markCounts,
  markMigration,
  marksBy,
  newServerGateKeys,
  show,
  type HeldServerGate,
} from '../helpers/chaos.js';

for (const kind of ALL_KINDS) {
  const na = kind === 'sqlite' ? 'SQLite has no server connection to cut (not applicable)' : undefined;
  describe(`chaos: connection cut on the server on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    let db: TestDb | undefined;
    let serverGate: HeldServerGate | undefined;
    before(async () => {
      if (!opts.skip && !na) db = await createTestDb(kind, 'gwx');
    });
    after(async () => {
      await procs.killAll();
      await serverGate?.release();
      await db?.drop();
      gates.remove();
    });

    for (const where of ['blocked in a long statement', 'running short statements'] as const) {
      test(`the holder's session is killed while ${where}: exit 3, rolled back, a rerun applies everything once${na ? ` (${na})` : ''}`, { skip: opts.skip ?? na }, async () => {
        const table = where === 'blocked in a long statement' ? 'hist_stmt' : 'hist_idle';
        const gate = `cut_${table}`;
        const keys = newServerGateKeys();
        serverGate = where === 'blocked in a long statement' ? await holdServerGate(db!, keys) : undefined;
        await db!.sql('DROP TABLE IF EXISTS marks');
        const dir = tempDir({
          '0001_marks.sql': MARKS_TABLE,
          '0002_long.mjs': gatedMigration({ gate, before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"], server: serverGate ? keys : undefined }),
          '0003_m3.sql': markMigration(3),
        });
        const flags = [...commonFlags(db!, dir), '--table', table];
        const holder = procs.cli([...flags, 'up'], { env: gates.env });
        await gates.waitEntered(gate);
        if (serverGate) await until(async () => (await serverGate!.waiting()) === 1, 30_000, 'the holder to block on the server');

        const st = await runCli([...flags, '--json', 'lock', 'status']);
        assert.equal(st.code, 0, show(st));
        const status = JSON.parse(st.stdout) as { held: boolean; holder: { who: string; sessionId?: string } };
        assert.equal(status.held, true, st.stdout);
        const session = status.holder.sessionId;
        assert.ok(session && /^\d+$/.test(session), `lock status names the holder's session: ${st.stdout}`);
        if (kind === 'postgres') {
          assert.match(status.holder.who, new RegExp(await applicationName()));
          const [row] = await db!.sql<{ ok: boolean }>('SELECT pg_terminate_backend($1::int) AS ok', [Number(session)]);
          assert.equal(row!.ok, true);
        } else {
          await db!.sql(`KILL ${Number(session)}`);
        }

        const r = await holder.done;
        assert.equal(r.code, 3, show(r));
        assert.match(r.stderr, /connection|terminat|killed/i);
        assert.deepEqual((await historyRows(db!, table)).map((h) => h.version), [1], 'nothing of migration 2 recorded');
        assert.equal(await marksBy(db!, holder.pid), 0, "the cut run's INSERT was rolled back");

        gates.release(gate);
        await serverGate?.release();
        const again = await runCli([...flags, 'up'], { env: gates.env });
        assert.equal(again.code, 0, show(again));
        assert.deepEqual((await historyRows(db!, table)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
        assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
        assert.deepEqual((await eventActions(db!, `${table}_events`)).filter((e) => e.startsWith('up:')), ['up:1', 'up:2', 'up:3']);
      });
    }
  });
}

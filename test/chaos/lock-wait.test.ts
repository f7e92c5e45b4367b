/**
 * Situation 4 of the issue ("waiting that says why"): while another run holds the migration lock,
 * a waiter with --lock-timeout gives up with exit 4 and names the holder; `godwit lock status`
 * names the holder while it holds and says the lock is free afterwards.
 *
 * The holder is named by its application name `godwit <version> <host>` where the server shows
 * it: PostgreSQL (pg_stat_activity) and SQLite (the lock file's holder record). MariaDB shows a
 * connection's program name only with performance_schema on (off by default, and off here); then
 * the holder is named by its connection id and client address, which is what SHOW PROCESSLIST
 * lists. (The 10-second progress line while waiting is a constant of the lock poller, not tested
 * here: a wall-clock test.)
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { historyRows } from '../helpers/inspect.js';
import { GateDir, MARKS_TABLE, Procs, applicationName, commonFlags, gatedMigration, show } from '../helpers/chaos.js';

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

for (const kind of ALL_KINDS) {
  describe(`chaos: waiting for the lock says why on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    let db: TestDb | undefined;
    let programNameVisible = kind !== 'mysql';
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind, 'gwh');
      if (kind === 'mysql') programNameVisible = Number((await db.sql<{ on: unknown }>('SELECT @@performance_schema AS `on`'))[0]!.on) === 1;
    });
    after(async () => {
      await procs.killAll();
      await db?.drop();
      gates.remove();
    });

    test('a waiter times out with exit 4 naming the holder; lock status names it while held and says free after', opts, async () => {
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_long.mjs': gatedMigration({ gate: 'hold' }),
      });
      const flags = commonFlags(db!, dir);
      const holder = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('hold');

      const st = await runCli([...flags, '--json', 'lock', 'status']);
      assert.equal(st.code, 0, show(st));
      const status = JSON.parse(st.stdout) as { held: boolean; holder: { who: string; sessionId?: string } };
      assert.equal(status.held, true, st.stdout);
      const app = escape(await applicationName());
      if (programNameVisible) assert.match(status.holder.who, new RegExp(app), st.stdout);
      else assert.match(status.holder.who, /connection \d+/, st.stdout);
      const text = await runCli([...flags, 'lock', 'status']);
      assert.match(text.stdout, /^held by /);

      const waiter = await runCli([...flags, '--lock-timeout', '3s', 'up'], { env: gates.env });
      assert.equal(waiter.code, 4, show(waiter));
      assert.match(waiter.stderr, /Timed out after \d+s waiting for the migration lock on /);
      assert.ok(status.holder.sessionId, st.stdout);
      assert.match(waiter.stderr, new RegExp(`held by .*\\b${status.holder.sessionId}\\b`), 'the same holder session as lock status names');
      if (programNameVisible) assert.match(waiter.stderr, new RegExp(`held by ${app}`));
      assert.match(waiter.stderr, /raise --lock-timeout, or see who holds it with "godwit lock status"/);
      assert.deepEqual(gates.entered('hold'), [holder.pid], 'the waiter ran nothing');

      gates.release('hold');
      const h = await holder.done;
      assert.equal(h.code, 0, show(h));
      const free = await runCli([...flags, 'lock', 'status']);
      assert.equal(free.code, 0, show(free));
      assert.match(free.stdout, /the migration lock is free/);
      assert.deepEqual((await historyRows(db!)).map((r) => r.version), [1, 2]);
    });

    test(`waiters hold no transaction or snapshot between polls: the holder's CREATE INDEX CONCURRENTLY completes while they wait${kind === 'postgres' ? '' : ' (PostgreSQL only)'}`, { skip: opts.skip ?? (kind === 'postgres' ? undefined : 'CREATE INDEX CONCURRENTLY is PostgreSQL only') }, async () => {
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_hold.mjs': gatedMigration({ gate: 'cic' }),
        '0003_index.sql': '-- godwit:no-transaction\nCREATE INDEX CONCURRENTLY marks_who_idx ON marks (who);\n',
      });
      await db!.sql('DROP TABLE IF EXISTS marks');
      const flags = [...commonFlags(db!, dir), '--table', 'hist_cic'];
      const holder = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('cic');
      const waiters = Array.from({ length: 3 }, () => procs.cli([...flags, '--json', 'up'], { env: gates.env }));
      for (const w of waiters) await w.waitFor(/"type":"connected"/, 'the waiter to connect');
      for (let i = 0; i < 10; i++) {
        const rows = await db!.sql<{ state: string; xmin: unknown }>(
          `SELECT state, backend_xmin AS xmin FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'godwit %' AND pid <> (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) AND classid <> 0 LIMIT 1)`,
        );
        assert.ok(rows.length >= 3, JSON.stringify(rows));
        for (const r of rows) assert.notEqual(r.state, 'idle in transaction', 'a waiter keeps a transaction open between polls');
        assert.ok(rows.every((r) => r.state === 'active' || r.xmin === null), `an idle waiter holds a snapshot: ${JSON.stringify(rows)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      gates.release('cic');
      const h = await holder.done;
      assert.equal(h.code, 0, show(h));
      for (const w of waiters) assert.equal((await w.done).code, 0);
      const idx = await db!.sql<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('marks_who_idx')`);
      assert.deepEqual(idx, [{ valid: true }]);
    });
  });
}

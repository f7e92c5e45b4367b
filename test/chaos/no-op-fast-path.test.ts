/**
 * Situation 2: the no-op fast path. With everything applied, `up` reads the history once, takes no
 * lock, runs no DDL and exits 0; an older build whose files are all applied exits 0 even while a
 * newer build holds the lock for a long migration.
 *
 * Proof of "no lock": a newer build holds the migration lock (stuck in a gated migration) while
 * the older build runs `up --lock-timeout 2s`: had the older build tried to take the lock it would
 * exit 4; it must exit 0 while the holder still holds. Proof of "no DDL / no writes": `up` as a
 * database user that may only SELECT (server dialects).
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { ALL_KINDS, createTestDb, skipUnless, PG_ADMIN_URL, MYSQL_ADMIN_URL, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { historyRows } from '../helpers/inspect.js';
import { GateDir, MARKS_TABLE, Procs, commonFlags, gatedMigration, markCounts, markMigration, show } from '../helpers/chaos.js';

for (const kind of ALL_KINDS) {
  describe(`chaos: no-op fast path on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    let db: TestDb | undefined;
    before(async () => {
      if (!opts.skip) db = await createTestDb(kind, 'gwn');
    });
    after(async () => {
      await procs.killAll();
      await db?.drop();
      gates.remove();
    });

    const old = { '0001_marks.sql': MARKS_TABLE, '0002_m2.sql': markMigration(2) };

    for (const mode of ['transactional', 'no-transaction'] as const) {
      test(`an older build (all applied) exits 0 while a newer build holds the lock in a ${mode} migration`, opts, async () => {
        const table = mode === 'transactional' ? 'hist_tx' : 'hist_ntx';
        const gate = `new3_${mode}`;
        const oldDir = tempDir(old);
        const newDir = tempDir({
          ...old,
          '0003_long.mjs': gatedMigration({ gate, before: ["INSERT INTO marks (v, who) VALUES (3, '$PID')"], noTransaction: mode === 'no-transaction' }),
        });
        if (mode === 'transactional') {
          const first = await runCli([...commonFlags(db!, oldDir), '--table', table, 'up']);
          assert.equal(first.code, 0, show(first));
        } else {
          await db!.sql('DROP TABLE marks');
          const first = await runCli([...commonFlags(db!, oldDir), '--table', table, 'up']);
          assert.equal(first.code, 0, show(first));
        }
        const holder = procs.cli([...commonFlags(db!, newDir), '--table', table, 'up'], { env: gates.env });
        await gates.waitEntered(gate);
        assert.ok(holder.running());

        const older = await runCli([...commonFlags(db!, oldDir), '--table', table, '--lock-timeout', '2s', 'up']);
        const stillHolding = holder.running() && !gates.released(gate);
        assert.equal(older.code, 0, show(older));
        assert.ok(stillHolding, 'the newer build still held the lock when the older build exited');
        assert.match(older.stdout, /nothing to do: 2 of 2 migrations applied/);
        if (mode === 'no-transaction') assert.match(older.stdout, /migration 3 \(long, running\) is not finished .* newer than every file of this build/);

        gates.release(gate);
        const h = await holder.done;
        assert.equal(h.code, 0, show(h));
        assert.deepEqual((await historyRows(db!, table)).map((r) => [r.version, r.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
        assert.deepEqual(await markCounts(db!), { 2: 1, 3: 1 });
      });
    }

    test('with everything applied, up works as a user that may only read (no lock, no DDL, no writes)', { skip: opts.skip ?? (kind === 'sqlite' ? 'SQLite has no database users' : undefined) }, async () => {
      const dir = tempDir(old);
      await db!.sql('DROP TABLE IF EXISTS marks');
      const first = await runCli([...commonFlags(db!, dir), '--table', 'hist_ro', 'up']);
      assert.equal(first.code, 0, show(first));
      const user = `gw_ro_${randomBytes(4).toString('hex')}`;
      let url: string;
      const adminSql = async (sql: string) => {
        if (kind === 'postgres') {
          const pg = (await import('pg')).default;
          const c = new pg.Client({ connectionString: PG_ADMIN_URL });
          await c.connect();
          try {
            await c.query(sql);
          } finally {
            await c.end();
          }
        } else {
          const mysql = (await import('mysql2/promise')).default;
          const c = await mysql.createConnection({ uri: MYSQL_ADMIN_URL });
          try {
            await c.query(sql);
          } finally {
            await c.end();
          }
        }
      };
      if (kind === 'postgres') {
        await adminSql(`CREATE ROLE ${user} LOGIN`);
        await db!.sql(`GRANT SELECT ON hist_ro, hist_ro_events TO ${user}`);
        await db!.sql(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
        url = db!.url.replace('postgres@', `${user}@`);
      } else {
        await adminSql(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
        await adminSql(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'pw'`);
        await adminSql(`GRANT SELECT ON \`${db!.name}\`.* TO '${user}'@'%'`);
        await adminSql(`GRANT SELECT ON \`${db!.name}\`.* TO '${user}'@'localhost'`);
        url = db!.url.replace('root@', `${user}:pw@`);
      }
      try {
        const r = await runCli(['--database', url, '--dir', dir, '--table', 'hist_ro', '--lock-timeout', '2s', 'up']);
        assert.equal(r.code, 0, show(r));
        assert.match(r.stdout, /nothing to do: 2 of 2 migrations applied/);
        // The read-only user really cannot write: a pending migration fails for it.
        const more = tempDir({ ...old, '0003_m3.sql': markMigration(3) });
        const denied = await runCli(['--database', url, '--dir', more, '--table', 'hist_ro', '--lock-timeout', '2s', 'up']);
        assert.notEqual(denied.code, 0, show(denied));
      } finally {
        if (kind === 'postgres') {
          await db!.sql(`REVOKE ALL ON hist_ro, hist_ro_events FROM ${user}`).catch(() => undefined);
          await db!.drop();
          db = undefined;
          await adminSql(`DROP ROLE IF EXISTS ${user}`);
        } else {
          await adminSql(`DROP USER IF EXISTS '${user}'@'%', '${user}'@'localhost'`);
        }
      }
    });
  });
}

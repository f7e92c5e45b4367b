/**
 * Situation 7 of the issue ("DDL that does not block traffic"): another session holds a lock that
 * the migration's ALTER TABLE must wait for (PostgreSQL: ACCESS SHARE from a SELECT in an open
 * transaction; MariaDB: the metadata lock of an open transaction; SQLite: the file's write lock).
 * With --ddl-lock-timeout the ALTER gives up quickly instead of queueing all traffic behind it, the
 * migration is rolled back and retried with backoff (--ddl-retries), then exit 4; once the
 * blocker is gone a rerun (or a later retry of the same run) succeeds.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { columnNames, historyRows } from '../helpers/inspect.js';
import { Procs, commonFlags, openSession, show, type AdminSession } from '../helpers/chaos.js';

for (const kind of ALL_KINDS) {
  describe(`chaos: DDL lock timeout on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const dbs: TestDb[] = [];
    const sessions: AdminSession[] = [];
    after(async () => {
      await procs.killAll();
      for (const s of sessions) await s.close();
      for (const d of dbs) await d.drop();
    });

    /** A database with t8 created (migration 1 applied) and a session blocking ALTER TABLE t8. */
    async function blocked(): Promise<{ db: TestDb; dir: string; blocker: AdminSession; release: () => Promise<void> }> {
      const db = await createTestDb(kind, 'gwd');
      dbs.push(db);
      const dir = tempDir({
        '0001_t8.sql': 'CREATE TABLE t8 (id INTEGER);\n',
        '0002_add_c.sql': 'ALTER TABLE t8 ADD COLUMN c INTEGER;\n',
      });
      const first = await runCli([...commonFlags(db, dir), '--to', '1', 'up']);
      assert.equal(first.code, 0, show(first));
      const blocker = await openSession(db);
      sessions.push(blocker);
      if (kind === 'sqlite') await blocker.query('BEGIN IMMEDIATE');
      else await blocker.query(kind === 'postgres' ? 'BEGIN' : 'START TRANSACTION');
      await blocker.query('SELECT * FROM t8');
      if (kind === 'sqlite') await blocker.query('INSERT INTO t8 (id) VALUES (1)');
      return { db, dir, blocker, release: async () => void (await blocker.query(kind === 'sqlite' ? 'COMMIT' : 'COMMIT')) };
    }

    test('the blocker stays: each attempt times out, retries are reported, then exit 4; a rerun after the blocker left succeeds', opts, async () => {
      const { db, dir, release } = await blocked();
      const r = await runCli([...commonFlags(db, dir), '--ddl-lock-timeout', '200ms', '--ddl-retries', '2', 'up']);
      assert.equal(r.code, 4, show(r));
      assert.match(r.stdout, /migration 2: DDL lock timeout( at line 1)?; rolled back, retry 1 in/);
      assert.match(r.stdout, /migration 2: DDL lock timeout( at line 1)?; rolled back, retry 2 in/);
      assert.doesNotMatch(r.stdout, /retry 3 in/);
      assert.match(r.stderr, /(0002_add_c\.sql:1 )?migration 2 could not get its table locks within --ddl-lock-timeout 200ms after 3 attempts/);
      assert.deepEqual((await columnNames(db, 't8')).map((c) => c.toLowerCase()), ['id'], 'the ALTER did not happen');
      assert.ok(!(await historyRows(db)).some((h) => h.version === 2 && h.status === 'applied'));

      await release();
      const again = await runCli([...commonFlags(db, dir), '--ddl-lock-timeout', '200ms', '--ddl-retries', '2', 'up']);
      assert.equal(again.code, 0, show(again));
      assert.deepEqual((await columnNames(db, 't8')).map((c) => c.toLowerCase()), ['id', 'c']);
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied']]);
    });

    test('the blocker leaves between retries: the same run succeeds (exit 0)', opts, async () => {
      const { db, dir, release } = await blocked();
      const run = procs.cli([...commonFlags(db, dir), '--ddl-lock-timeout', '200ms', '--ddl-retries', '5', 'up']);
      await run.waitFor(/DDL lock timeout( at line 1)?; rolled back, retry 1 in/, 'the first retry');
      await release();
      const r = await run.done;
      assert.equal(r.code, 0, show(r));
      assert.match(r.stdout, /applied 2 add_c/);
      assert.deepEqual((await columnNames(db, 't8')).map((c) => c.toLowerCase()), ['id', 'c']);
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied']]);
    });
  });
}

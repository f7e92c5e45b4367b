/**
 * Situation 6: a non-transactional migration is SIGKILLed in the middle. The recorded statement
 * progress lets the next run resume after the last completed statement, without doubling what
 * already took effect:
 * - a statement that ran in a transaction with its progress record (rolled back with it): resume
 *   at that statement;
 * - PostgreSQL CREATE INDEX CONCURRENTLY interrupted half-way (INVALID index left): the resume
 *   drops the INVALID index and builds it again;
 * - MariaDB DDL killed while waiting for its metadata lock: the catalog says whether it took effect;
 * - a no-transaction code migration killed while running: nobody can know how far it got, so the
 *   next run stops with exit 5 and names the ways out (it must not run the code a second time).
 *
 * Gates: PostgreSQL `pg_advisory_lock(N)` and MariaDB `GET_LOCK(name)` held by the test; SQLite
 * has no blocking statement to hold, so statement 2 is a long recursive query whose length the
 * test sets in a table (endless while the test wants it to run, one row when the test rerun).
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
  markCounts,
  newServerGateKeys,
  openSession,
  show,
  type AdminSession,
} from '../helpers/chaos.js';

for (const kind of ALL_KINDS) {
  describe(`chaos: resume after SIGKILL on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    const dbs: TestDb[] = [];
    const sessions: AdminSession[] = [];
    after(async () => {
      await procs.killAll();
      for (const s of sessions) await s.close();
      for (const d of dbs) await d.drop();
      gates.remove();
    });
    async function newDb(): Promise<TestDb> {
      const db = await createTestDb(kind, 'gwr');
      dbs.push(db);
      return db;
    }
    async function session(db: TestDb): Promise<AdminSession> {
      const s = await openSession(db);
      sessions.push(s);
      return s;
    }

    test('a statement that ran with its progress record: the rerun resumes at it, statement 1 not doubled', opts, async () => {
      const db = await newDb();
      const keys = newServerGateKeys();
      const gateSql =
        kind === 'postgres'
          ? `SELECT pg_advisory_lock(${keys.pgKey}), pg_advisory_unlock(${keys.pgKey});`
          : kind === 'mysql'
            ? `SELECT GET_LOCK('${keys.mysqlName}', 600), RELEASE_LOCK('${keys.mysqlName}');`
            : `WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < (SELECT n FROM gate_cfg))\n  INSERT INTO marks (v, who) SELECT 62, 'sql' FROM c WHERE x = (SELECT n FROM gate_cfg);`;
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_steps.sql': `-- godwit:no-transaction\nINSERT INTO marks (v, who) VALUES (61, 'sql');\n${gateSql}\nINSERT INTO marks (v, who) VALUES (63, 'sql');\n`,
      });
      const flags = [...commonFlags(db, dir), '--ddl-lock-timeout', '0'];
      const gate = await session(db);
      if (kind === 'postgres') await gate.query(`SELECT pg_advisory_lock(${keys.pgKey})`);
      else if (kind === 'mysql') assert.equal(Number((await gate.query<{ ok: unknown }>(`SELECT GET_LOCK('${keys.mysqlName}', 0) AS ok`))[0]!.ok), 1);
      else await gate.query(`CREATE TABLE gate_cfg (n INTEGER NOT NULL)`).then(() => gate.query(`INSERT INTO gate_cfg (n) VALUES (1000000000000)`));

      const run = procs.cli([...flags, 'up']);
      // Statement 1 is committed with its progress; the run is now inside statement 2.
      await until(async () => (await historyRows(db)).some((h) => h.version === 2 && h.statements_applied === 1), 30_000, 'statement 1 to be recorded');
      if (kind === 'postgres') {
        await until(async () => Number((await gate.query<{ n: unknown }>(`SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`, [keys.pgKey]))[0]!.n) === 1, 30_000, 'statement 2 to block');
      } else if (kind === 'mysql') {
        await until(async () => Number((await gate.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE = 'User lock' AND INFO LIKE ?`, [`%${keys.mysqlName}%`]))[0]!.n) === 1, 30_000, 'statement 2 to block');
      }
      run.child.kill('SIGKILL');
      assert.equal((await run.done).signal, 'SIGKILL');
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status, h.statements_applied, h.statements_total]), [[1, 'applied', 1, 1], [2, 'running', 1, 3]]);

      if (kind === 'sqlite') await gate.query('UPDATE gate_cfg SET n = 1');
      else await gate.close();
      const again = await runCli([...flags, 'up']);
      assert.equal(again.code, 0, show(again));
      assert.match(again.stdout, /resuming 2 steps at statement 2: statement 2 ran in a transaction with its progress record, which was rolled back/);
      assert.deepEqual(await markCounts(db), kind === 'sqlite' ? { 61: 1, 62: 1, 63: 1 } : { 61: 1, 63: 1 });
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status, h.statements_applied]), [[1, 'applied', 1], [2, 'applied', 3]]);
      assert.deepEqual(await eventActions(db), ['up:1', 'resume:2', 'up:2']);
    });

    test(`CREATE INDEX CONCURRENTLY interrupted half-way: the INVALID index is dropped and rebuilt${kind === 'postgres' ? '' : ' (PostgreSQL only)'}`, { skip: opts.skip ?? (kind === 'postgres' ? undefined : 'CREATE INDEX CONCURRENTLY is PostgreSQL only') }, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_index.sql': `-- godwit:no-transaction\nINSERT INTO marks (v, who) VALUES (71, 'sql');\nCREATE INDEX CONCURRENTLY marks_v_idx ON marks (v);\nINSERT INTO marks (v, who) VALUES (73, 'sql');\n`,
      });
      const flags = [...commonFlags(db, dir), '--ddl-lock-timeout', '0'];
      // An open transaction holding a snapshot: CIC's last phase waits for it to end.
      const snapshot = await session(db);
      await snapshot.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
      await snapshot.query('SELECT 1');
      const run = procs.cli([...flags, 'up']);
      await until(async () => {
        const r = await db.sql<{ phase: string }>(`SELECT phase FROM pg_stat_progress_create_index WHERE relid = to_regclass('marks')`);
        return r.some((x) => x.phase === 'waiting for old snapshots');
      }, 30_000, 'CREATE INDEX CONCURRENTLY to wait for the old snapshot');
      const invalid = await db.sql<{ valid: boolean }>(`SELECT indisvalid AS valid FROM pg_index WHERE indexrelid = to_regclass('marks_v_idx')`);
      assert.deepEqual(invalid, [{ valid: false }], 'the half-built index exists and is INVALID');
      run.child.kill('SIGKILL');
      assert.equal((await run.done).signal, 'SIGKILL');
      // Only once the server has ended the dead runner's session does the snapshot go away: had
      // it gone first, the build would have finished (a valid index, which the rerun keeps).
      await until(async () => (await db.sql(`SELECT 1 FROM pg_stat_progress_create_index WHERE relid = to_regclass('marks')`)).length === 0, 30_000, "the server to end the dead runner's CREATE INDEX");
      await snapshot.query('COMMIT');

      const again = await runCli([...flags, 'up']);
      assert.equal(again.code, 0, show(again));
      assert.match(again.stdout, /resuming 2 index at statement 2: statement 2 \(.*0002_index\.sql:3\) had not taken effect \(any half-built index was dropped\)/);
      const idx = await db.sql<{ valid: boolean }>(`SELECT i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname LIKE 'marks_v_idx%'`);
      assert.deepEqual(idx, [{ valid: true }], 'one index, valid');
      assert.deepEqual(await markCounts(db), { 71: 1, 73: 1 });
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status, h.statements_applied]), [[1, 'applied', 1], [2, 'applied', 3]]);
    });

    test(`DDL killed while waiting for its metadata lock: the catalog decides where to resume${kind === 'mysql' ? '' : ' (MariaDB only)'}`, { skip: opts.skip ?? (kind === 'mysql' ? undefined : 'DDL outside transactions with metadata locks: the MariaDB case') }, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_alter.sql': `INSERT INTO marks (v, who) VALUES (81, 'sql');\nALTER TABLE marks ADD COLUMN extra INT NULL;\nINSERT INTO marks (v, who, extra) VALUES (83, 'sql', 1);\n`,
      });
      const flags = [...commonFlags(db, dir), '--ddl-lock-timeout', '0'];
      const first = await runCli([...flags, '--to', '1', 'up']);
      assert.equal(first.code, 0, show(first));
      const blocker = await session(db);
      await blocker.query('START TRANSACTION');
      await blocker.query('SELECT COUNT(*) FROM marks');
      const run = procs.cli([...flags, 'up']);
      await until(async () => {
        const r = await db.sql<{ n: unknown }>(`SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE STATE LIKE 'Waiting for table metadata lock%' AND INFO LIKE 'ALTER TABLE marks%'`);
        return Number(r[0]!.n) === 1;
      }, 30_000, 'the ALTER to wait for its metadata lock');
      run.child.kill('SIGKILL');
      assert.equal((await run.done).signal, 'SIGKILL');
      await blocker.query('COMMIT');

      const again = await runCli([...flags, 'up']);
      assert.equal(again.code, 0, show(again));
      assert.match(again.stdout, /resuming 2 alter at statement (2: statement 2 .* had not taken effect|3: statement 2 .* was found to have taken effect)/);
      assert.deepEqual(await markCounts(db), { 81: 1, 83: 1 });
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status, h.statements_applied]), [[1, 'applied', 1], [2, 'applied', 3]]);
    });

    test('a no-transaction code migration killed while running: the next run stops with exit 5 instead of running it twice', opts, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_code.mjs': gatedMigration({ gate: 'code', noTransaction: true, before: ["INSERT INTO marks (v, who) VALUES (2, '$PID')"] }),
      });
      const flags = commonFlags(db, dir);
      const run = procs.cli([...flags, 'up'], { env: gates.env });
      await gates.waitEntered('code');
      run.child.kill('SIGKILL');
      await run.done;
      gates.release('code');

      const again = await runCli([...flags, 'up'], { env: gates.env });
      assert.equal(again.code, 5, show(again));
      assert.match(again.stderr, /0002_code\.mjs/);
      assert.match(again.stderr, /repair 2 --applied/);
      assert.match(again.stderr, /repair 2 --forget/);
      assert.deepEqual(await markCounts(db), { 2: 1 }, 'the code did not run a second time');

      // The operator checks: the INSERT took effect, so it is marked applied.
      const repair = await runCli([...flags, 'repair', '2', '--applied']);
      assert.equal(repair.code, 0, show(repair));
      const done = await runCli([...flags, 'up'], { env: gates.env });
      assert.equal(done.code, 0, show(done));
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied']]);
      assert.deepEqual(await markCounts(db), { 2: 1 });
    });
  });
}

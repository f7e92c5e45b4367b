/**
 * Situation 10 of the issue: in-app mode. Several replicas of an app (test/chaos/fixtures/app.mjs,
 * importing the BUILT library) migrate at start-up without blocking their HTTP servers and answer
 * the startup probe like a kubelet polls it: 503 while the migration runs (in whichever replica
 * holds the lock, and in the ones waiting for it), 200 once done, 500 with the error when the
 * migration fails. Every migration is applied exactly once.
 */
import { describe, test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { ROOT, tempDir, until } from '../helpers/cli.js';
import { historyRows } from '../helpers/inspect.js';
import { GateDir, MARKS_TABLE, Procs, gatedMigration, markCounts, markMigration, type Proc } from '../helpers/chaos.js';

const APP = join(ROOT, 'test/chaos/fixtures/app.mjs');
const REPLICAS = 3;

interface Probe {
  status: number;
  body: { status: string; applied?: number[]; code?: string; error?: string };
}

async function probe(port: number, path = '/startup'): Promise<Probe> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`);
  const text = await res.text();
  return { status: res.status, body: path === '/startup' ? (JSON.parse(text) as Probe['body']) : { status: text.trim() } };
}

async function portOf(app: Proc): Promise<number> {
  await app.waitFor(/listening \d+/, 'the app to listen');
  return Number(/listening (\d+)/.exec(app.stdout())![1]);
}

for (const kind of ALL_KINDS) {
  describe(`chaos: in-app migrations behind probes on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const gates = new GateDir();
    const dbs: TestDb[] = [];
    after(async () => {
      await procs.killAll();
      for (const d of dbs) await d.drop();
      gates.remove();
    });
    async function newDb(): Promise<TestDb> {
      const db = await createTestDb(kind, 'gwi');
      dbs.push(db);
      return db;
    }

    test(`${REPLICAS} replicas: 503 while a migration runs, 200 after; applied exactly once`, opts, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_m2.sql': markMigration(2),
        '0003_long.mjs': gatedMigration({ gate: 'app', before: ["INSERT INTO marks (v, who) VALUES (3, '$PID')"] }),
      });
      const apps = Array.from({ length: REPLICAS }, () => procs.node(APP, [db.url, dir], gates.env));
      const ports = await Promise.all(apps.map(portOf));
      const [holder] = await gates.waitEntered('app');
      assert.ok(apps.some((a) => a.pid === holder), 'one replica runs the migration');

      for (const port of ports) {
        const p = await probe(port);
        assert.equal(p.status, 503, JSON.stringify(p));
        assert.equal(p.body.status, 'migrating');
        const app = await probe(port, '/');
        assert.equal(app.status, 200, 'the HTTP server is not blocked by the migration');
      }

      gates.release('app');
      const finals: Probe[] = [];
      for (const port of ports) {
        let last: Probe | undefined;
        await until(async () => (last = await probe(port)).status !== 503, 60_000, `replica on port ${port} to finish`);
        finals.push(last!);
      }
      for (const f of finals) {
        assert.equal(f.status, 200, JSON.stringify(f));
        assert.equal(f.body.status, 'ready');
      }
      const appliers = finals.filter((f) => (f.body.applied ?? []).length > 0);
      assert.equal(appliers.length, 1, JSON.stringify(finals));
      assert.deepEqual(appliers[0]!.body.applied, [1, 2, 3]);
      assert.deepEqual(await markCounts(db), { 2: 1, 3: 1 });
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied'], [3, 'applied']]);
    });

    test(`${REPLICAS} replicas: a failing migration answers 500 with the error, and the apps keep serving`, opts, async () => {
      const db = await newDb();
      const dir = tempDir({
        '0001_marks.sql': MARKS_TABLE,
        '0002_bad.sql': 'INSERT INTO marks (v, who) VALUES (NULL, NULL);\n',
      });
      const apps = Array.from({ length: REPLICAS }, () => procs.node(APP, [db.url, dir], gates.env));
      const ports = await Promise.all(apps.map(portOf));
      for (const port of ports) {
        let last: Probe | undefined;
        await until(async () => (last = await probe(port)).status !== 503, 60_000, `replica on port ${port} to finish`);
        assert.equal(last!.status, 500, JSON.stringify(last));
        assert.equal(last!.body.status, 'failed');
        assert.equal(last!.body.code, 'MIGRATION_FAILED');
        assert.match(last!.body.error ?? '', /0002_bad\.sql:1: migration 2 failed: .*(null|NULL)/);
        assert.equal((await probe(port, '/')).status, 200, 'the app still serves');
      }
      for (const a of apps) assert.ok(a.running(), 'a failed migration does not crash the app');
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [[1, 'applied']]);
      assert.deepEqual(await markCounts(db), {});
    });
  });
}

/**
 * Pattern "in-app": the app migrates at start-up with the library (`createMigrator` +
 * `startMigrations` from godwit/http) and serves the gate's handler as its startupProbe. N replicas
 * start at once; a poller plays the kubelet (GET the probe every 100 ms, 5 s timeout per request;
 * like the kubelet, a request that times out or cannot connect is a failed probe, recorded as 0).
 *
 * While the lock holder's last migration is held at a gate the test controls, every replica
 * serves and answers 503 (the HTTP server is not blocked by migrating or by waiting for the lock).
 * Once the gate opens, every replica turns 200 and stays 200, never 500, never back to 503; each
 * migration was applied once. SIGTERM (a rollout) ends each replica with exit 0. A failing
 * migration turns the probe to 500 with the error, and its effects are rolled back.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/cli.js';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { historyRows } from '../helpers/inspect.js';
import { Dirs, Gate, MARKS_TABLE, PATIENCE_MS, Procs, markCounts, markSql, show, until, type Proc } from './scenario-kit.js';

const N = 4;
const PROBE = '/migrations/startup';

/** The app: what docs/kubernetes.md shows for in-app mode, on an ephemeral port. */
const APP = `import { createServer } from 'node:http';
import { createMigrator } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/index.js')).href)};
import { startMigrations } from ${JSON.stringify(pathToFileURL(join(ROOT, 'dist/http/index.js')).href)};

const gate = startMigrations(createMigrator({ database: process.env.APP_DATABASE_URL, dir: process.env.APP_MIGRATIONS }));
const server = createServer((req, res) => {
  if (req.url === ${JSON.stringify(PROBE)}) return gate.handler(req, res);
  res.writeHead(200, { 'content-type': 'text/plain' });
  res.end('the app');
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ listening: server.address().port })));
gate.done.then(
  (versions) => console.log(JSON.stringify({ migrated: versions })),
  (e) => console.log(JSON.stringify({ failed: e.message })),
);
// A rollout: stop accepting, let the event loop drain; nothing may keep the process alive.
process.on('SIGTERM', () => server.close());
`;

interface Answer {
  status: number;
  body: string;
}

function get(port: number, path: string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, timeout: 5000 }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // Like the kubelet: a probe that times out or cannot connect counts as a failure (status 0).
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ status: 0, body: '' }));
    req.end();
  });
}

/** The kubelet's startupProbe for one replica: GET every 100 ms until stopped; keeps every answer. */
class Kubelet {
  readonly answers: Answer[] = [];
  private stopped = false;
  private readonly loop: Promise<void>;
  constructor(readonly port: number) {
    this.loop = (async () => {
      while (!this.stopped) {
        this.answers.push(await get(port, PROBE));
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
  }
  statuses(): number[] {
    return this.answers.map((a) => a.status);
  }
  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }
}

function portOf(p: Proc): number | undefined {
  const line = p.events().find((e) => typeof e.listening === 'number');
  return line?.listening as number | undefined;
}

async function startApps(procs: Procs, kubelets: Kubelet[], n: number, db: TestDb, dir: string, script: string): Promise<Array<{ app: Proc; kubelet: Kubelet }>> {
  const apps = Array.from({ length: n }, (_, i) => procs.node(`replica ${i}`, script, { APP_DATABASE_URL: db.url, APP_MIGRATIONS: dir }));
  await until(() => apps.every((a) => portOf(a) !== undefined || a.result() !== undefined), PATIENCE_MS, 'every replica listening');
  for (const a of apps) assert.equal(a.result(), undefined, `a replica exited at start-up: ${show(a)}`);
  return apps.map((app) => {
    const kubelet = new Kubelet(portOf(app)!);
    kubelets.push(kubelet);
    return { app, kubelet };
  });
}

for (const kind of ALL_KINDS) {
  describe(`in-app pattern on ${kind}: ${N} replicas migrate at start-up behind a startupProbe`, async () => {
    const opts = await skipUnless(kind);
    const procs = new Procs();
    const dirs = new Dirs();
    const kubelets: Kubelet[] = [];
    const gate = new Gate('inapp');
    const dbs: TestDb[] = [];
    let script: string;
    before(() => {
      script = join(dirs.make({ 'app.mjs': APP }, 'godwit-inapp-'), 'app.mjs');
    });
    after(async () => {
      await Promise.all(kubelets.map((k) => k.stop()));
      if (!gate.isOpen()) gate.open();
      await procs.killAll();
      gate.remove();
      dirs.removeAll();
      for (const d of dbs) await d.drop();
    });

    test('503 while migrating (and while waiting for the lock), 200 after, exit 0 on SIGTERM; each migration once', opts, async () => {
      const db = await createTestDb(kind, 'gwk8sapp');
      dbs.push(db);
      const dir = dirs.make({ '0001_marks.sql': MARKS_TABLE, '0002_m2.sql': markSql(2), '0003_m3.mjs': gate.migration(3) });
      const replicas = await startApps(procs, kubelets, N, db, dir, script);

      await gate.waitEntered(1);
      const seenAtGate = replicas.map((r) => r.kubelet.answers.length);
      // Every replica answers the probe while the holder is in migration 3 and the rest wait for the lock.
      const atGate = (i: number) => replicas[i]!.kubelet.answers.slice(seenAtGate[i]!);
      await until(() => replicas.every((_, i) => atGate(i).filter((a) => a.status === 503).length >= 2), PATIENCE_MS, 'two 503 answers from every replica at the gate');
      assert.equal(gate.isOpen(), false);
      for (const [i, r] of replicas.entries()) {
        for (const a of atGate(i)) {
          assert.ok(a.status === 503 || a.status === 0, `${r.app.label} answered ${a.status} while migrating: ${a.body}`);
          if (a.status === 503) assert.equal(JSON.parse(a.body).status, 'migrating');
        }
        const app = await get(r.kubelet.port, '/');
        assert.equal(app.status, 200, 'the HTTP server is not blocked by the migration');
      }

      gate.open();
      await until(() => replicas.every((r) => r.kubelet.statuses().slice(-3).join() === '200,200,200'), PATIENCE_MS, 'every replica ready');
      for (const r of replicas) {
        await r.kubelet.stop();
        const s = r.kubelet.statuses();
        // 0 = a probe that timed out (a loaded machine): a failure for the kubelet, allowed anywhere.
        const first200 = s.indexOf(200);
        assert.ok(first200 > 0 && s.slice(0, first200).includes(503), `${r.app.label} answered 503 first: ${s.join(',')}`);
        assert.deepEqual(s.slice(0, first200).filter((x) => x !== 503 && x !== 0), [], `${r.app.label} before ready: ${s.join(',')}`);
        assert.deepEqual(s.slice(first200).filter((x) => x !== 200 && x !== 0), [], `${r.app.label} never falls back: ${s.join(',')}`);
        const ready = JSON.parse(r.kubelet.answers.at(-1)!.body) as { status: string };
        assert.equal(ready.status, 'ready');
      }
      const applied = replicas.map((r) => r.app.events().find((e) => Array.isArray(e.migrated))?.migrated as number[]);
      assert.deepEqual(applied.filter((a) => a.length > 0), [[1, 2, 3]], 'one replica applied everything, the others found nothing to do');

      for (const r of replicas) r.app.child.kill('SIGTERM');
      await Promise.all(replicas.map((r) => r.app.done));
      for (const r of replicas) {
        assert.equal(r.app.result()!.code, 0, show(r.app));
        assert.equal(r.app.result()!.signal, null);
      }
      assert.deepEqual(await markCounts(db), { 2: 1, 3: 1 });
      assert.deepEqual((await historyRows(db)).map((h) => [h.version, h.status]), [
        [1, 'applied'],
        [2, 'applied'],
        [3, 'applied'],
      ]);
    });

    test('a failing migration: the probe answers 500 with the error, the migration is rolled back', opts, async () => {
      const db = await createTestDb(kind, 'gwk8sappf');
      dbs.push(db);
      const dir = dirs.make({
        '0001_marks.sql': MARKS_TABLE,
        '0002_broken.mjs': `export async function up(ctx) {\n  await ctx.exec('INSERT INTO marks (v) VALUES (2)');\n  throw new Error('broken on purpose');\n}\n`,
      });
      const [r] = await startApps(procs, kubelets, 1, db, dir, script);
      await until(() => r!.kubelet.statuses().includes(500), PATIENCE_MS, 'a 500 from the probe');
      await r!.kubelet.stop();
      const failed = r!.kubelet.answers.find((a) => a.status === 500)!;
      assert.match(failed.body, /broken on purpose/);
      assert.match(JSON.parse(failed.body).status, /^failed$/);
      assert.deepEqual([...new Set(r!.kubelet.statuses())].filter((s) => s !== 503 && s !== 500 && s !== 0), [], r!.kubelet.statuses().join(','));
      r!.app.child.kill('SIGTERM');
      await r!.app.done;
      assert.equal(r!.app.result()!.code, 0, show(r!.app));
      assert.deepEqual(await markCounts(db), {}, 'the failed code migration was rolled back');
      assert.deepEqual((await historyRows(db)).filter((h) => h.status === 'applied').map((h) => h.version), [1]);
    });
  });
}

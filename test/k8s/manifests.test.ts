/**
 * Every object of every pattern, for several option sets, passes the Kubernetes API schemas
 * (kubernetes-models 4.x), the unknown-field check, the API rules the schemas cannot express and
 * Godwit's policy (restricted security context, podFailurePolicy, Secret-sourced URL, resources).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import { K8S_PATTERNS } from '../../src/k8s/output.js';
import { OPTION_SETS } from './helpers/option-sets.js';
import { checkOutput, renderHelm } from './helpers/validate-output.js';
import { formatProblems } from './helpers/validate-k8s.js';
import { parse } from 'yaml';

const HELM_RENDERS = [
  { releaseName: 'shop', revision: 1, namespace: 'shop' },
  // Helm allows release names up to 53 characters; revisions keep growing.
  { releaseName: `shop-${'x'.repeat(48)}`, revision: 123456, namespace: 'production' },
  // The optional blocks filled in, a digest, and numbers Helm would print as 1e+06 without `| int`.
  {
    releaseName: 'shop',
    revision: 2,
    namespace: 'shop',
    overrides: {
      godwit: {
        image: { digest: `sha256:${'b'.repeat(64)}` },
        imagePullSecrets: [{ name: 'regcred' }],
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [{ key: 'batch', operator: 'Exists', effect: 'NoSchedule' }],
        job: { ttlSecondsAfterFinished: 2000000 },
      },
    },
  },
];

/** Kinds of object each pattern must produce, so an empty output cannot pass. */
const MIN_CHECKED: Record<string, number> = { initcontainer: 1, job: 2, helm: 2, argocd: 2, kustomize: 2, inapp: 1 };

describe('generated manifests are valid Kubernetes objects', () => {
  for (const [setName, options] of Object.entries(OPTION_SETS)) {
    for (const pattern of K8S_PATTERNS) {
      it(`${pattern} / ${setName}`, () => {
        const out = buildK8s(pattern, options);
        const checked = checkOutput(out, HELM_RENDERS);
        assert.ok(checked.length >= (MIN_CHECKED[pattern] ?? 1), `only ${checked.length} objects checked`);
        const bad = checked.filter((c) => c.problems.length > 0);
        assert.equal(bad.length, 0, bad.map((c) => `${c.source}:\n${formatProblems(c.problems)}`).join('\n'));
      });
    }
  }
});

describe('what the manifests say', () => {
  it('Jobs carry the release in their names and run the right phase', () => {
    const out = buildK8s('job', OPTION_SETS.defaults!);
    const pre = parse(out.files.find((f) => f.path === 'migrate-pre-job.yaml')!.text);
    const post = parse(out.files.find((f) => f.path === 'migrate-post-job.yaml')!.text);
    assert.equal(pre.metadata.name, 'shop-migrate-pre-1-4-2');
    assert.equal(post.metadata.name, 'shop-migrate-post-1-4-2');
    assert.deepEqual(pre.spec.template.spec.containers[0].args, ['up', '--phase', 'pre', '--lock-timeout', '15m', '--connect-timeout', '60s']);
    assert.equal(post.spec.template.spec.containers[0].args[2], 'post');
    assert.deepEqual(pre.spec.podFailurePolicy.rules[0].onExitCodes.values, [1, 2, 5, 6]);
  });

  it('the wait initContainer runs `godwit wait --phase pre` from the same image', () => {
    const out = buildK8s('job', OPTION_SETS.defaults!);
    const snippet = parse(out.files.find((f) => f.path === 'app-wait-initcontainer.yaml')!.text);
    const c = snippet.initContainers[0];
    assert.deepEqual(c.args, ['wait', '--phase', 'pre', '--timeout', '10m']);
    assert.equal(c.image, 'ghcr.io/acme/shop-migrations:1.4.2');
    assert.deepEqual(c.env[0].valueFrom.secretKeyRef, { name: 'shop-database', key: 'url' });
  });

  it('Argo CD hooks: PreSync and PostSync with a delete policy', () => {
    const out = buildK8s('argocd', OPTION_SETS.defaults!);
    const pre = parse(out.files.find((f) => f.path === 'migrate-pre-job.yaml')!.text);
    const post = parse(out.files.find((f) => f.path === 'migrate-post-job.yaml')!.text);
    assert.equal(pre.metadata.annotations['argocd.argoproj.io/hook'], 'PreSync');
    assert.equal(post.metadata.annotations['argocd.argoproj.io/hook'], 'PostSync');
    assert.equal(pre.metadata.annotations['argocd.argoproj.io/hook-delete-policy'], 'BeforeHookCreation,HookSucceeded');
  });

  it('Helm: hooks, weights, delete policy and a name with the revision that fits 63', () => {
    const out = buildK8s('helm', OPTION_SETS.defaults!);
    for (const input of HELM_RENDERS) {
      const rendered = renderHelm(out, input);
      const pre = parse(rendered.get('templates/godwit-migrate-pre-job.yaml')!);
      const post = parse(rendered.get('templates/godwit-migrate-post-job.yaml')!);
      assert.equal(pre.metadata.annotations['helm.sh/hook'], 'pre-install,pre-upgrade');
      assert.equal(post.metadata.annotations['helm.sh/hook'], 'post-install,post-upgrade');
      assert.equal(pre.metadata.annotations['helm.sh/hook-weight'], '0');
      assert.equal(pre.metadata.annotations['helm.sh/hook-delete-policy'], 'before-hook-creation,hook-succeeded');
      assert.ok(pre.metadata.name.endsWith(`-${input.revision}`), pre.metadata.name);
      assert.ok(pre.metadata.name.length <= 63, `${pre.metadata.name} is ${pre.metadata.name.length} long`);
      assert.equal(pre.metadata.namespace, input.namespace);
    }
  });

  it('Helm: values reach the Job, and big numbers print as integers', () => {
    const out = buildK8s('helm', OPTION_SETS.defaults!);
    const rendered = renderHelm(out, {
      releaseName: 'shop',
      revision: 7,
      namespace: 'shop',
      overrides: {
        godwit: {
          image: { tag: '2.0.0' },
          job: { ttlSecondsAfterFinished: 2000000, backoffLimit: 1 },
          imagePullSecrets: [{ name: 'regcred' }],
          tolerations: [{ key: 'batch', operator: 'Exists', effect: 'NoSchedule' }],
          hooks: { post: { enabled: false } },
        },
      },
    });
    const pre = parse(rendered.get('templates/godwit-migrate-pre-job.yaml')!);
    assert.equal(pre.spec.ttlSecondsAfterFinished, 2000000);
    assert.equal(pre.spec.backoffLimit, 1);
    assert.equal(pre.spec.template.spec.containers[0].image, 'ghcr.io/acme/shop-migrations:2.0.0');
    assert.deepEqual(pre.spec.template.spec.imagePullSecrets, [{ name: 'regcred' }]);
    assert.equal(pre.spec.template.spec.tolerations[0].key, 'batch');
    assert.equal(parse(rendered.get('templates/godwit-migrate-post-job.yaml')!), null, 'post hook disabled renders nothing');
    const digest = renderHelm(out, { releaseName: 'shop', revision: 1, namespace: 'shop', overrides: { godwit: { image: { digest: 'sha256:' + 'a'.repeat(64) } } } });
    assert.equal(parse(digest.get('templates/godwit-migrate-pre-job.yaml')!).spec.template.spec.containers[0].image, `ghcr.io/acme/shop-migrations@sha256:${'a'.repeat(64)}`);
  });

  it('Helm: Chart.yaml is a v2 chart and every value a template reads exists in values.yaml', () => {
    for (const options of Object.values(OPTION_SETS)) {
      const out = buildK8s('helm', options);
      const chart = parse(out.files.find((f) => f.path === 'Chart.yaml')!.text);
      assert.equal(chart.apiVersion, 'v2');
      assert.match(chart.name, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      assert.match(chart.version, /^\d+\.\d+\.\d+$/);
      assert.equal(typeof chart.appVersion, 'string');
      const values = parse(out.files.find((f) => f.path === 'values.yaml')!.text);
      const used = new Set(out.files.filter((f) => f.shape === 'helm-template').flatMap((f) => [...f.text.matchAll(/\.Values\.([\w.]+)/g)].map((m) => m[1]!)));
      assert.ok(used.size >= 15, `only ${used.size} values used`);
      for (const path of used) {
        let v: unknown = values;
        for (const k of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
        assert.notEqual(v, undefined, `.Values.${path} is read by a template but missing from values.yaml`);
      }
    }
  });

  it('kustomize: the overlay gives the release-unique name, namespace and tag', () => {
    const out = buildK8s('kustomize', { ...OPTION_SETS.defaults!, namespace: 'shop' });
    const checked = checkOutput(out).filter((c) => c.source.startsWith('overlays/'));
    const names = checked.map((c) => (c.object.metadata as Record<string, unknown>).name).sort();
    assert.deepEqual(names, ['shop-migrate-post-1-4-2', 'shop-migrate-pre-1-4-2']);
    for (const c of checked) assert.equal((c.object.metadata as Record<string, unknown>).namespace, 'shop');
  });

  it('in-app: the startupProbe budget covers the Job deadline', () => {
    const out = buildK8s('inapp', OPTION_SETS.defaults!);
    const probe = parse(out.files[0]!.text).startupProbe;
    assert.equal(probe.httpGet.path, '/migrations/startup');
    assert.ok(probe.failureThreshold * probe.periodSeconds >= 1800);
    assert.ok(probe.failureThreshold * probe.periodSeconds >= 15 * 60 + 60, 'covers lock and connect timeouts');
  });
});

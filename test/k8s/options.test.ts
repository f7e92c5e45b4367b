/** Option resolution: defaults, eager validation with actionable messages, flags mapping. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import { k8sOptionsFromFlags } from '../../src/k8s/k8s-flags.js';
import { resolveK8sOptions, type K8sOptions } from '../../src/k8s/options.js';
import { BASE } from './helpers/option-sets.js';

function rejects(options: Partial<K8sOptions>, message: RegExp): void {
  assert.throws(() => resolveK8sOptions({ ...BASE, ...options } as K8sOptions), (e: unknown) => {
    assert.ok(e instanceof ConfigError, `expected ConfigError, got ${String(e)}`);
    assert.match(e.message, message);
    return true;
  });
}

describe('resolveK8sOptions', () => {
  it('fills safe defaults and freezes', () => {
    const o = resolveK8sOptions(BASE);
    assert.equal(o.secretName, 'shop-database');
    assert.equal(o.secretKey, 'url');
    assert.equal(o.release, '1-4-2');
    assert.deepEqual(o.phases, ['pre', 'post']);
    assert.equal(o.backoffLimit, 2);
    assert.equal(o.activeDeadlineSeconds, 1800);
    assert.equal(o.ttlSecondsAfterFinished, 86400);
    assert.equal(o.lockTimeout, '15m');
    assert.equal(o.probe.failureThreshold, 180);
    assert.deepEqual(o.jobNames, { pre: 'shop-migrate-pre-1-4-2', post: 'shop-migrate-post-1-4-2' });
    assert.ok(Object.isFrozen(o) && Object.isFrozen(o.resources) && Object.isFrozen(o.resources.limits));
    assert.equal(o.namespace, undefined);
  });

  it('derives the release from a digest when there is no tag', () => {
    const o = resolveK8sOptions({ ...BASE, image: `ghcr.io/acme/m@sha256:${'ab'.repeat(32)}` });
    assert.equal(o.release, 'abababababab');
  });

  it('requires app and image', () => {
    assert.throws(() => resolveK8sOptions({ image: BASE.image } as K8sOptions), /--app is required/);
    assert.throws(() => resolveK8sOptions({ app: 'shop' } as K8sOptions), /--image is required/);
  });

  it('refuses bad names', () => {
    rejects({ app: 'Shop' }, /--app "Shop".*upper-case/);
    rejects({ app: 'shop_app' }, /--app/);
    rejects({ app: '-shop' }, /start and end/);
    rejects({ namespace: 'a'.repeat(64) }, /--namespace.*64 characters/);
    rejects({ secretName: 'Bad_Secret' }, /--secret-name/);
    rejects({ secretKey: 'a key' }, /--secret-key/);
    rejects({ release: 'v1.2.3' }, /--release "v1.2.3".*try "v1-2-3"/);
    rejects({ imagePullSecrets: ['ok', 'NOT OK'] }, /--image-pull-secret "NOT OK"/);
  });

  it('refuses an image that does not pin one build', () => {
    rejects({ image: 'ghcr.io/acme/shop-migrations' }, /pin a tag or a digest/);
    rejects({ image: 'ghcr.io/acme/shop-migrations:latest' }, /pin a tag or a digest/);
    rejects({ image: 'ghcr.io/acme/Shop:1' }, /repository/);
    rejects({ image: 'shop migrations:1' }, /spaces/);
    rejects({ image: 'ghcr.io/acme/shop@sha256:xyz' }, /digest/);
  });

  it('explains a Job name over 63 characters with the label reason', () => {
    rejects({ release: 'r'.repeat(46) }, /"shop-migrate-post-r+" is 64 characters.*batch\.kubernetes\.io\/job-name.*label values are limited to 63/);
    assert.equal(resolveK8sOptions({ ...BASE, release: 'r'.repeat(45) }).jobNames.post.length, 63);
  });

  it('keeps the deadline above the time a run may wait before it starts', () => {
    rejects({ activeDeadlineSeconds: 960 }, /--active-deadline-seconds 960 leaves no time.*960s/);
    assert.equal(resolveK8sOptions({ ...BASE, activeDeadlineSeconds: 961 }).activeDeadlineSeconds, 961);
    rejects({ lockTimeout: '1h' }, /active-deadline-seconds 1800 leaves no time/);
  });

  it('refuses bad numbers, durations, quantities and phases', () => {
    rejects({ backoffLimit: -1 }, /--backoff-limit/);
    rejects({ backoffLimit: 1.5 }, /--backoff-limit/);
    rejects({ ttlSecondsAfterFinished: -1 }, /--ttl-seconds-after-finished/);
    rejects({ activeDeadlineSeconds: 0 }, /--active-deadline-seconds/);
    rejects({ lockTimeout: '15 minutes' }, /--lock-timeout takes/);
    rejects({ waitTimeout: '0s' }, /--wait-timeout/);
    rejects({ connectTimeout: '500ms' }, /--connect-timeout/);
    rejects({ resources: { requests: { memory: '256MB' } } }, /requests\.memory "256MB" is not a Kubernetes quantity/);
    rejects({ resources: { requests: { memory: '1Gi' } } }, /memory request 1Gi is above its limit 512Mi/);
    rejects({ resources: { requests: { gpu: '1' } as never } }, /unknown resource "gpu"/);
    rejects({ phases: [] }, /--phases/);
    rejects({ phases: ['expand' as never] }, /unknown phase "expand"/);
    rejects({ imagePullPolicy: 'Sometimes' as never }, /--image-pull-policy/);
    rejects({ migrationsDir: 'migrations' }, /absolute/);
    rejects({ probe: { path: 'startup' } }, /--probe-path/);
    rejects({ probe: { port: 70000 } }, /--probe-port/);
    rejects({ probe: { port: 'Http_Port' } }, /--probe-port/);
  });

  it('orders and de-duplicates phases', () => {
    assert.deepEqual(resolveK8sOptions({ ...BASE, phases: ['post', 'pre', 'post'] }).phases, ['pre', 'post']);
  });

  it('computes the startupProbe budget from the deadline', () => {
    const o = resolveK8sOptions({ ...BASE, activeDeadlineSeconds: 1005, probe: { periodSeconds: 10 } });
    assert.equal(o.probe.failureThreshold, 101);
  });
});

describe('pattern-specific checks', () => {
  it('Argo CD refuses a TTL that can delete a hook before Argo CD saw it finish', () => {
    assert.throws(() => buildK8s('argocd', { ...BASE, ttlSecondsAfterFinished: 0 }), /too short for Argo CD hooks/);
    assert.doesNotThrow(() => buildK8s('job', { ...BASE, ttlSecondsAfterFinished: 0 }));
  });

  it('an unknown pattern is a ConfigError naming the patterns', () => {
    assert.throws(() => buildK8s('compose', BASE), (e: unknown) => e instanceof ConfigError && /initcontainer, job, helm, argocd, kustomize, inapp/.test(e.message));
  });
});

describe('k8sOptionsFromFlags', () => {
  it('maps flags onto options', () => {
    const o = k8sOptionsFromFlags({
      app: 'shop',
      image: 'ghcr.io/acme/shop-migrations:1.4.2',
      phases: 'pre, post',
      'backoff-limit': '1',
      'memory-limit': '1Gi',
      'wait-cpu-request': '5m',
      'image-pull-secret': 'a,b',
      'probe-port': 'http',
      'probe-period-seconds': '5',
    });
    assert.deepEqual(o, {
      app: 'shop',
      image: 'ghcr.io/acme/shop-migrations:1.4.2',
      phases: ['pre', 'post'],
      backoffLimit: 1,
      imagePullSecrets: ['a', 'b'],
      resources: { limits: { memory: '1Gi' } },
      waitResources: { requests: { cpu: '5m' } },
      probe: { port: 'http', periodSeconds: 5 },
    });
    const r = resolveK8sOptions(o);
    assert.deepEqual(r.resources.limits, { cpu: '1', memory: '1Gi' });
    assert.equal(r.probe.port, 'http');
    assert.equal(k8sOptionsFromFlags({ app: 'a', image: 'b:1', 'probe-port': '9090' }).probe?.port, 9090);
  });

  it('refuses unknown flags and non-numbers', () => {
    assert.throws(() => k8sOptionsFromFlags({ app: 'shop', backofflimit: '2' }), /unknown flag --backofflimit/);
    assert.throws(() => k8sOptionsFromFlags({ 'backoff-limit': 'two' }), /--backoff-limit takes a whole number/);
  });
});

/** Option sets the manifest tests run every pattern with. */
import type { K8sOptions } from '../../../src/k8s/options.js';

export const BASE: K8sOptions = { app: 'shop', image: 'ghcr.io/acme/shop-migrations:1.4.2' };

export const OPTION_SETS: Readonly<Record<string, K8sOptions>> = {
  defaults: BASE,
  'namespace, custom secret and timeouts': {
    ...BASE,
    namespace: 'shop-prod',
    secretName: 'shop.db-credentials',
    secretKey: 'DATABASE_URL',
    lockTimeout: '30m',
    connectTimeout: '2m',
    waitTimeout: '20m',
    activeDeadlineSeconds: 3600,
    backoffLimit: 0,
    ttlSecondsAfterFinished: 600,
  },
  'digest image, pull secrets, migrations dir, custom resources': {
    app: 'billing-service',
    image: 'registry.example.com:5000/team/billing-migrations@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    imagePullSecrets: ['regcred', 'backup-cred'],
    imagePullPolicy: 'Always',
    migrationsDir: '/app/db/migrations',
    resources: { requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi', 'ephemeral-storage': '1Gi' } },
    waitResources: { requests: { memory: '64Mi' }, limits: { memory: '128Mi' } },
    probe: { path: '/healthz/migrations', port: 'http', periodSeconds: 5 },
  },
  'pre phase only, explicit release': { ...BASE, phases: ['pre'], release: 'r2024-06-01' },
  'post phase only': { ...BASE, phases: ['post'] },
  'longest names that fit': {
    // 'shop-migrate-post-' is 18 characters: 45 left for the release.
    app: 'shop',
    image: 'ghcr.io/acme/shop-migrations:1.4.2',
    release: 'r'.repeat(45),
  },
};

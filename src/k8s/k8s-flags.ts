/**
 * The flags of `godwit k8s <pattern>` and their mapping onto `K8sOptions`, as data, so the CLI
 * wiring stays one loop: collect `--flag value` pairs, call `k8sOptionsFromFlags`, pass the result
 * to `runK8sCommand`. Pure: takes strings, reads no environment.
 */
import { ConfigError } from '../core/errors.js';
import type { K8sOptions, Phase } from './options.js';
import type { ResourceList, ResourceRequirements } from './types.js';

export interface K8sFlag {
  /** Without the leading `--`. */
  readonly name: string;
  readonly value: string;
  readonly help: string;
}

export const K8S_FLAGS: readonly K8sFlag[] = Object.freeze([
  { name: 'app', value: 'NAME', help: 'application name, base of every generated name (required)' },
  { name: 'image', value: 'IMAGE', help: 'migration image with a pinned tag or digest (required)' },
  { name: 'namespace', value: 'NS', help: 'namespace written into the manifests' },
  { name: 'secret-name', value: 'NAME', help: 'Secret holding the database URL (default <app>-database)' },
  { name: 'secret-key', value: 'KEY', help: 'key of the URL in that Secret (default url)' },
  { name: 'release', value: 'SUFFIX', help: 'suffix for unique Job names (default: from the image tag)' },
  { name: 'phases', value: 'pre,post', help: 'phases that get a migration Job (default pre,post)' },
  { name: 'lock-timeout', value: 'DUR', help: 'godwit up --lock-timeout (default 15m)' },
  { name: 'connect-timeout', value: 'DUR', help: 'godwit up --connect-timeout (default 60s)' },
  { name: 'wait-timeout', value: 'DUR', help: 'godwit wait --timeout in the app pods (default 10m)' },
  { name: 'backoff-limit', value: 'N', help: 'Job retries for exit 3, 4 and signals (default 2)' },
  { name: 'active-deadline-seconds', value: 'N', help: 'Job deadline, retries included (default 1800)' },
  { name: 'ttl-seconds-after-finished', value: 'N', help: 'delete a finished Job after (default 86400)' },
  { name: 'image-pull-policy', value: 'POLICY', help: 'Always, IfNotPresent (default) or Never' },
  { name: 'image-pull-secret', value: 'NAME[,NAME]', help: 'Secrets for a private registry' },
  { name: 'migrations-dir', value: 'PATH', help: 'GODWIT_DIR inside the image (default: the image\'s /migrations)' },
  { name: 'cpu-request', value: 'Q', help: 'migration container (default 100m)' },
  { name: 'memory-request', value: 'Q', help: 'migration container (default 256Mi)' },
  { name: 'cpu-limit', value: 'Q', help: 'migration container (default 1)' },
  { name: 'memory-limit', value: 'Q', help: 'migration container (default 512Mi)' },
  { name: 'wait-cpu-request', value: 'Q', help: 'wait initContainer (default 20m)' },
  { name: 'wait-memory-request', value: 'Q', help: 'wait initContainer (default 96Mi)' },
  { name: 'wait-cpu-limit', value: 'Q', help: 'wait initContainer (default 200m)' },
  { name: 'wait-memory-limit', value: 'Q', help: 'wait initContainer (default 192Mi)' },
  { name: 'probe-path', value: 'PATH', help: 'in-app startupProbe path (default /migrations/startup)' },
  { name: 'probe-port', value: 'PORT', help: 'in-app startupProbe port number or name (default 8080)' },
  { name: 'probe-period-seconds', value: 'N', help: 'in-app startupProbe period (default 10)' },
]);

/**
 * Build `K8sOptions` from flag values (name without `--` -> value as typed). Unknown flags and
 * non-numbers where a number is expected throw `ConfigError`; everything else is checked by
 * `resolveK8sOptions`.
 */
export function k8sOptionsFromFlags(values: Readonly<Record<string, string | undefined>>): K8sOptions {
  const known = new Set(K8S_FLAGS.map((f) => f.name));
  for (const k of Object.keys(values)) {
    if (!known.has(k)) throw new ConfigError(`godwit k8s: unknown flag --${k}; known: ${[...known].map((n) => `--${n}`).join(' ')}`);
  }
  const str = (k: string): string | undefined => values[k];
  const int = (k: string): number | undefined => {
    const v = values[k];
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new ConfigError(`--${k} takes a whole number; got "${v}"`);
    return Number(v);
  };
  const list = (k: string): string[] | undefined =>
    values[k]?.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  const resources = (prefix: string): ResourceRequirements | undefined => {
    const pick = (kind: 'request' | 'limit'): ResourceList | undefined => {
      const cpu = values[`${prefix}cpu-${kind}`];
      const memory = values[`${prefix}memory-${kind}`];
      if (cpu === undefined && memory === undefined) return undefined;
      return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
    };
    const requests = pick('request');
    const limits = pick('limit');
    if (!requests && !limits) return undefined;
    return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
  };
  const port = str('probe-port');
  const probe = {
    ...(str('probe-path') !== undefined ? { path: str('probe-path') } : {}),
    ...(port !== undefined ? { port: /^\d+$/.test(port) ? Number(port) : port } : {}),
    ...(int('probe-period-seconds') !== undefined ? { periodSeconds: int('probe-period-seconds') } : {}),
  };
  const opts: Partial<K8sOptions> = {
    app: str('app') ?? '',
    image: str('image') ?? '',
    namespace: str('namespace'),
    secretName: str('secret-name'),
    secretKey: str('secret-key'),
    release: str('release'),
    phases: list('phases') as Phase[] | undefined,
    lockTimeout: str('lock-timeout'),
    connectTimeout: str('connect-timeout'),
    waitTimeout: str('wait-timeout'),
    backoffLimit: int('backoff-limit'),
    activeDeadlineSeconds: int('active-deadline-seconds'),
    ttlSecondsAfterFinished: int('ttl-seconds-after-finished'),
    imagePullPolicy: str('image-pull-policy') as K8sOptions['imagePullPolicy'],
    imagePullSecrets: list('image-pull-secret'),
    migrationsDir: str('migrations-dir'),
    resources: resources(''),
    waitResources: resources('wait-'),
    probe: Object.keys(probe).length > 0 ? (probe as K8sOptions['probe']) : undefined,
  };
  for (const k of Object.keys(opts) as (keyof K8sOptions)[]) if (opts[k] === undefined) delete opts[k];
  return opts as K8sOptions;
}

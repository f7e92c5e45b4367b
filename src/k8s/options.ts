/**
 * Options of `godwit k8s <pattern>`: what the user gives (`K8sOptions`, everything but `app` and
 * `image` optional) and what the builders use (`ResolvedK8sOptions`: defaults filled in, every
 * value checked, frozen).
 *
 * Contract: `resolveK8sOptions()` is called once, before anything is generated; it throws a
 * `ConfigError` (exit 2) whose message names the option, the bad value and what would be accepted.
 * The builders never re-validate and never see an unchecked value.
 */
import { ConfigError } from '../core/errors.js';
import type { Phase } from '../source/migration.js';
import {
  dns1123LabelProblem,
  isDns1123Label,
  isDns1123Subdomain,
  isSecretKey,
  toDnsLabelChunk,
  DNS1123_LABEL_MAX,
} from './dns-names.js';
import { parseImageRef, type ImageRef } from './image-ref.js';
import { parseQuantity } from './quantity.js';
import type { ResourceList, ResourceRequirements } from './types.js';

export type { Phase };

/** User-facing options; the CLI fills them from flags (see `k8sOptionsFromFlags`) or a config file. */
export interface K8sOptions {
  /** The application's name (DNS-1123 label): the base of every generated name. Required. */
  app: string;
  /**
   * The migration image, with a pinned tag or digest (`ghcr.io/acme/shop-migrations:1.4.2`).
   * It holds Godwit and the migrations folder (see the Dockerfile). Required.
   */
  image: string;
  /** Namespace written into the manifests; omitted by default (kubectl's current namespace). */
  namespace?: string;
  /** Secret that holds the database URL. Default `<app>-database`. Never created by the kit. */
  secretName?: string;
  /** Key of the URL in that Secret. Default `url`. */
  secretKey?: string;
  /**
   * Release suffix that makes Job names unique per release (Job specs are immutable, so re-using a
   * name breaks the next apply or sync). Default: derived from the image tag (`1.4.2` -> `1-4-2`)
   * or the first 12 hex digits of the digest.
   */
  release?: string;
  /** Phases that get a migration Job. Default `['pre', 'post']`. */
  phases?: readonly Phase[];
  /** Resources of the migration container. Defaults: see `DEFAULTS.resources`. */
  resources?: ResourceRequirements;
  /** Resources of the app's `godwit wait` initContainer. Defaults: see `DEFAULTS.waitResources`. */
  waitResources?: ResourceRequirements;
  /** `--lock-timeout` of `godwit up`, a duration like `15m`. Default `15m`. */
  lockTimeout?: string;
  /** `--connect-timeout` of `godwit up`. Default `60s`. */
  connectTimeout?: string;
  /** `--timeout` of the app's `godwit wait`. Default `10m`. */
  waitTimeout?: string;
  /** Job `backoffLimit`: retries for exit codes where a retry can help (3, 4, signals). Default 2. */
  backoffLimit?: number;
  /** Job `activeDeadlineSeconds`: the whole Job, all retries included. Default 1800. */
  activeDeadlineSeconds?: number;
  /** Job `ttlSecondsAfterFinished`. Default 86400 (a day to read the logs). */
  ttlSecondsAfterFinished?: number;
  /** Default `IfNotPresent` (the tag is pinned, so a cached image is the right one). */
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never';
  /** Names of Secrets for pulling the image from a private registry. */
  imagePullSecrets?: readonly string[];
  /** Sets `GODWIT_DIR` in the containers; by default the image's own (`/migrations`). */
  migrationsDir?: string;
  /** In-app mode: the startupProbe on the `godwit/http` handler. */
  probe?: { path?: string; port?: number | string; periodSeconds?: number };
}

export interface ResolvedProbe {
  readonly path: string;
  readonly port: number | string;
  readonly periodSeconds: number;
  /** ceil(activeDeadlineSeconds / periodSeconds): the probe gives the migration the Job's budget. */
  readonly failureThreshold: number;
}

export interface ResolvedK8sOptions {
  readonly app: string;
  readonly image: ImageRef;
  readonly namespace?: string;
  readonly secretName: string;
  readonly secretKey: string;
  readonly release: string;
  readonly phases: readonly Phase[];
  readonly resources: Readonly<ResourceRequirements>;
  readonly waitResources: Readonly<ResourceRequirements>;
  readonly lockTimeout: string;
  readonly connectTimeout: string;
  readonly waitTimeout: string;
  readonly backoffLimit: number;
  readonly activeDeadlineSeconds: number;
  readonly ttlSecondsAfterFinished: number;
  readonly imagePullPolicy: 'Always' | 'IfNotPresent' | 'Never';
  readonly imagePullSecrets: readonly string[];
  readonly migrationsDir?: string;
  readonly probe: ResolvedProbe;
  /** `<app>-migrate-<phase>-<release>` for each phase, each checked to be at most 63 characters. */
  readonly jobNames: Readonly<Record<Phase, string>>;
}

/** The user and group the image runs as (see the Dockerfile); manifests pin the same numbers. */
export const RUN_AS_USER = 10001;

export const DEFAULTS = Object.freeze({
  secretKey: 'url',
  phases: Object.freeze(['pre', 'post'] as const),
  resources: Object.freeze({
    requests: Object.freeze({ cpu: '100m', memory: '256Mi' }),
    limits: Object.freeze({ cpu: '1', memory: '512Mi' }),
  }),
  waitResources: Object.freeze({
    requests: Object.freeze({ cpu: '20m', memory: '96Mi' }),
    limits: Object.freeze({ cpu: '200m', memory: '192Mi' }),
  }),
  lockTimeout: '15m',
  connectTimeout: '60s',
  waitTimeout: '10m',
  backoffLimit: 2,
  activeDeadlineSeconds: 1800,
  ttlSecondsAfterFinished: 86400,
  imagePullPolicy: 'IfNotPresent' as const,
  probe: Object.freeze({ path: '/migrations/startup', port: 8080, periodSeconds: 10 }),
});

/** The longest phase word, for the Job-name length budget. */
const JOB_NAME_INFIX = '-migrate-';

/** `<app>-migrate-<phase>`: the Job name without the release suffix (kustomize's base name). */
export function jobBaseName(app: string, phase: Phase): string {
  return `${app}${JOB_NAME_INFIX}${phase}`;
}

/**
 * Validate, fill in defaults, freeze. Throws `ConfigError` on the first bad value.
 */
export function resolveK8sOptions(input: K8sOptions): ResolvedK8sOptions {
  if (input === null || typeof input !== 'object') throw new ConfigError('k8s: options are missing');
  const app = requireString(input.app, 'app', 'the application name, e.g. --app shop');
  const appProblem = dns1123LabelProblem(app);
  if (appProblem) throw new ConfigError(`--app "${app}" is not a valid Kubernetes name: ${appProblem}`);
  const image = parseImageRef(requireString(input.image, 'image', 'the migration image, e.g. --image ghcr.io/acme/shop-migrations:1.4.2'));

  if (input.namespace !== undefined) {
    const p = dns1123LabelProblem(input.namespace);
    if (p) throw new ConfigError(`--namespace "${input.namespace}" is not a valid namespace: ${p}`);
  }
  const secretName = input.secretName ?? `${app}-database`;
  if (!isDns1123Subdomain(secretName)) {
    throw new ConfigError(`--secret-name "${secretName}" is not a valid Secret name (lower-case letters, digits, "-" and ".", at most 253)`);
  }
  const secretKey = input.secretKey ?? DEFAULTS.secretKey;
  if (!isSecretKey(secretKey)) {
    throw new ConfigError(`--secret-key "${secretKey}" is not a valid Secret key (letters, digits, "-", "_" and ".")`);
  }

  const release = resolveRelease(input.release, image);

  const phases = resolvePhases(input.phases);
  const jobNames = {} as Record<Phase, string>;
  for (const phase of ['pre', 'post'] as const) {
    const name = `${jobBaseName(app, phase)}-${release}`;
    if (name.length > DNS1123_LABEL_MAX) {
      throw new ConfigError(
        `the Job name "${name}" is ${name.length} characters; Kubernetes allows ${DNS1123_LABEL_MAX} because ` +
          `every pod of a Job carries its name as the label batch.kubernetes.io/job-name, and label values ` +
          `are limited to ${DNS1123_LABEL_MAX}. Shorten --app (${app.length}) or pass a shorter --release (${release.length}).`,
      );
    }
    jobNames[phase] = name;
  }

  const lockTimeout = resolveDuration('lock-timeout', input.lockTimeout ?? DEFAULTS.lockTimeout);
  const connectTimeout = resolveDuration('connect-timeout', input.connectTimeout ?? DEFAULTS.connectTimeout);
  const waitTimeout = resolveDuration('wait-timeout', input.waitTimeout ?? DEFAULTS.waitTimeout);

  const backoffLimit = resolveInt('backoff-limit', input.backoffLimit ?? DEFAULTS.backoffLimit, 0, 20);
  const activeDeadlineSeconds = resolveInt('active-deadline-seconds', input.activeDeadlineSeconds ?? DEFAULTS.activeDeadlineSeconds, 1, 7 * 86400);
  const ttlSecondsAfterFinished = resolveInt('ttl-seconds-after-finished', input.ttlSecondsAfterFinished ?? DEFAULTS.ttlSecondsAfterFinished, 0, 365 * 86400);
  const startBudget = lockTimeout.seconds + connectTimeout.seconds;
  if (activeDeadlineSeconds <= startBudget) {
    throw new ConfigError(
      `--active-deadline-seconds ${activeDeadlineSeconds} leaves no time to migrate: a run may wait ` +
        `--connect-timeout ${connectTimeout.text} for the database and then --lock-timeout ${lockTimeout.text} ` +
        `for the lock (${startBudget}s together) before it starts. Raise it above ${startBudget} or lower the timeouts.`,
    );
  }

  const imagePullPolicy = input.imagePullPolicy ?? DEFAULTS.imagePullPolicy;
  if (!['Always', 'IfNotPresent', 'Never'].includes(imagePullPolicy)) {
    throw new ConfigError(`--image-pull-policy "${String(imagePullPolicy)}" must be Always, IfNotPresent or Never`);
  }
  const imagePullSecrets = [...(input.imagePullSecrets ?? [])];
  for (const s of imagePullSecrets) {
    if (!isDns1123Subdomain(s)) throw new ConfigError(`--image-pull-secret "${s}" is not a valid Secret name`);
  }
  if (input.migrationsDir !== undefined && !input.migrationsDir.startsWith('/')) {
    throw new ConfigError(`--migrations-dir "${input.migrationsDir}" must be an absolute path inside the image, e.g. /migrations`);
  }

  return deepFreeze({
    app,
    image,
    ...(input.namespace !== undefined ? { namespace: input.namespace } : {}),
    secretName,
    secretKey,
    release,
    phases,
    resources: resolveResources('resources', input.resources, DEFAULTS.resources),
    waitResources: resolveResources('wait-resources', input.waitResources, DEFAULTS.waitResources),
    lockTimeout: lockTimeout.text,
    connectTimeout: connectTimeout.text,
    waitTimeout: waitTimeout.text,
    backoffLimit,
    activeDeadlineSeconds,
    ttlSecondsAfterFinished,
    imagePullPolicy,
    imagePullSecrets,
    ...(input.migrationsDir !== undefined ? { migrationsDir: input.migrationsDir } : {}),
    probe: resolveProbe(input.probe, activeDeadlineSeconds),
    jobNames,
  });
}

function requireString(v: unknown, flag: string, hint: string): string {
  if (typeof v !== 'string' || v.length === 0) throw new ConfigError(`k8s: --${flag} is required: ${hint}`);
  return v;
}

function resolveRelease(given: string | undefined, image: ImageRef): string {
  if (given !== undefined) {
    const p = dns1123LabelProblem(given);
    if (p) {
      const hint = toDnsLabelChunk(given);
      throw new ConfigError(`--release "${given}" cannot be part of a Kubernetes name: ${p}${hint ? `; try "${hint}"` : ''}`);
    }
    return given;
  }
  const fromTag = image.tag !== undefined ? toDnsLabelChunk(image.tag) : '';
  if (fromTag) return fromTag;
  if (image.digest !== undefined) return toDnsLabelChunk(image.digest.slice(image.digest.indexOf(':') + 1, image.digest.indexOf(':') + 13));
  throw new ConfigError(`cannot derive a release suffix from the image "${image.raw}"; pass --release (e.g. the version)`);
}

function resolvePhases(given: readonly Phase[] | undefined): readonly Phase[] {
  if (given === undefined) return [...DEFAULTS.phases];
  if (!Array.isArray(given) || given.length === 0) throw new ConfigError('--phases needs at least one of: pre, post');
  const out: Phase[] = [];
  for (const p of given) {
    if (p !== 'pre' && p !== 'post') throw new ConfigError(`--phases: unknown phase "${String(p)}"; use pre, post or both`);
    if (!out.includes(p)) out.push(p);
  }
  return out.sort((a, b) => (a === b ? 0 : a === 'pre' ? -1 : 1));
}

interface Duration {
  readonly text: string;
  readonly seconds: number;
}

/** Durations in manifests: a whole number of s, m or h (`90s`, `15m`, `1h`), passed to Godwit as written. */
export function resolveDuration(flag: string, value: string): Duration {
  const m = /^(\d+)(s|m|h)$/.exec(typeof value === 'string' ? value : '');
  if (!m || Number(m[1]) === 0) {
    throw new ConfigError(`--${flag} takes a positive whole duration like 90s, 15m or 1h; got "${String(value)}"`);
  }
  const n = Number(m[1]);
  return { text: value, seconds: n * (m[2] === 's' ? 1 : m[2] === 'm' ? 60 : 3600) };
}

function resolveInt(flag: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`--${flag} must be a whole number from ${min} to ${max}; got ${String(value)}`);
  }
  return value;
}

function resolveResources(flag: string, given: ResourceRequirements | undefined, defaults: ResourceRequirements): ResourceRequirements {
  const requests: ResourceList = { ...defaults.requests, ...given?.requests };
  const limits: ResourceList = { ...defaults.limits, ...given?.limits };
  for (const [kind, list] of [['requests', requests], ['limits', limits]] as const) {
    for (const key of Object.keys(list)) {
      if (key !== 'cpu' && key !== 'memory' && key !== 'ephemeral-storage') {
        throw new ConfigError(`--${flag}: unknown resource "${key}" in ${kind}; use cpu, memory or ephemeral-storage`);
      }
    }
  }
  for (const key of ['cpu', 'memory', 'ephemeral-storage'] as const) {
    const req = requests[key];
    const lim = limits[key];
    const r = req === undefined ? undefined : parseQuantity(`--${flag} requests.${key}`, req);
    const l = lim === undefined ? undefined : parseQuantity(`--${flag} limits.${key}`, lim);
    if (r !== undefined && l !== undefined && r > l) {
      throw new ConfigError(`--${flag}: the ${key} request ${req} is above its limit ${lim}; Kubernetes rejects that pod`);
    }
  }
  if (limits.memory === undefined) {
    throw new ConfigError(`--${flag}: set a memory limit; a migration without one can take a node's memory`);
  }
  return { requests, limits };
}

function resolveProbe(given: K8sOptions['probe'], budgetSeconds: number): ResolvedProbe {
  const path = given?.path ?? DEFAULTS.probe.path;
  if (!/^\/[\x21-\x7e]*$/.test(path)) throw new ConfigError(`--probe-path "${path}" must be an absolute URL path like /migrations/startup`);
  const port = given?.port ?? DEFAULTS.probe.port;
  if (typeof port === 'number') {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ConfigError(`--probe-port ${port} must be 1 to 65535 or a named port`);
  } else if (!(port.length <= 15 && isDns1123Label(port) && /[a-z]/.test(port))) {
    throw new ConfigError(`--probe-port "${port}" is not a port number or a port name (at most 15 of a-z, 0-9, "-")`);
  }
  const periodSeconds = resolveInt('probe-period-seconds', given?.periodSeconds ?? DEFAULTS.probe.periodSeconds, 1, 300);
  return { path, port, periodSeconds, failureThreshold: Math.ceil(budgetSeconds / periodSeconds) };
}

function deepFreeze<T>(v: T): T {
  if (v !== null && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v as object)) deepFreeze(x);
  }
  return v;
}

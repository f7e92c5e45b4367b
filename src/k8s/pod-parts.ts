/**
 * The pieces every pattern shares: labels, the restricted security contexts, the database URL from
 * a Secret, the `godwit up` and `godwit wait` containers. One place, so the Job, the initContainer
 * and the Helm chart can never drift apart.
 */
import type { Phase, ResolvedK8sOptions } from './options.js';
import { RUN_AS_USER } from './options.js';
import type { Container, EnvVar, Labels, PodSecurityContext, SecurityContext, Volume, VolumeMount } from './types.js';

/** Name of the migration container; `podFailurePolicy.onExitCodes.containerName` points at it. */
export const MIGRATE_CONTAINER = 'godwit';
/** Name of the app's initContainer that runs `godwit wait`. */
export const WAIT_CONTAINER = 'godwit-wait';
/** Name of the initContainer that runs `godwit up` in the initContainer pattern. */
export const INIT_MIGRATE_CONTAINER = 'godwit-migrate';
/** The environment variable Godwit reads the database URL from. */
export const DATABASE_URL_ENV = 'GODWIT_DATABASE_URL';
export const MIGRATIONS_DIR_ENV = 'GODWIT_DIR';
/** A small writable /tmp (the root filesystem is read-only); TypeScript migrations cache there. */
export const TMP_VOLUME = 'godwit-tmp';

/**
 * Recommended labels (app.kubernetes.io/*). `instance` is the app for plain manifests and
 * `{{ .Release.Name }}` for Helm (the caller passes it).
 */
export function migrationLabels(opts: ResolvedK8sOptions, instance: string = opts.app): Labels {
  return {
    'app.kubernetes.io/name': 'godwit',
    'app.kubernetes.io/instance': instance,
    'app.kubernetes.io/component': 'migrations',
    'app.kubernetes.io/part-of': opts.app,
  };
}

/** Container security context meeting the `restricted` Pod Security Standard on its own. */
export function restrictedSecurityContext(): SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    runAsGroup: RUN_AS_USER,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function restrictedPodSecurityContext(): PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: RUN_AS_USER,
    runAsGroup: RUN_AS_USER,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function godwitEnv(opts: ResolvedK8sOptions): EnvVar[] {
  const env: EnvVar[] = [
    { name: DATABASE_URL_ENV, valueFrom: { secretKeyRef: { name: opts.secretName, key: opts.secretKey } } },
  ];
  if (opts.migrationsDir !== undefined) env.push({ name: MIGRATIONS_DIR_ENV, value: opts.migrationsDir });
  return env;
}

/** `godwit up --phase <phase> --lock-timeout .. --connect-timeout ..` */
export function upArgs(opts: ResolvedK8sOptions, phase: Phase): string[] {
  return ['up', '--phase', phase, '--lock-timeout', opts.lockTimeout, '--connect-timeout', opts.connectTimeout];
}

/** `godwit wait --phase pre --timeout ..` */
export function waitArgs(opts: ResolvedK8sOptions): string[] {
  return ['wait', '--phase', 'pre', '--timeout', opts.waitTimeout];
}

export function tmpVolume(): Volume {
  return { name: TMP_VOLUME, emptyDir: { sizeLimit: '64Mi' } };
}

export function tmpVolumeMount(): VolumeMount {
  return { name: TMP_VOLUME, mountPath: '/tmp' };
}

/** The container that applies migrations (in a Job, or as the initContainer pattern). */
export function migrateContainer(opts: ResolvedK8sOptions, phase: Phase, name: string = MIGRATE_CONTAINER): Container {
  return {
    name,
    image: opts.image.raw,
    imagePullPolicy: opts.imagePullPolicy,
    args: upArgs(opts, phase),
    env: godwitEnv(opts),
    resources: structuredClone(opts.resources),
    securityContext: restrictedSecurityContext(),
    terminationMessagePolicy: 'FallbackToLogsOnError',
    volumeMounts: [tmpVolumeMount()],
  };
}

/** The app's gate: polls the history until the `pre` migrations baked into the image are applied. */
export function waitContainer(opts: ResolvedK8sOptions): Container {
  return {
    name: WAIT_CONTAINER,
    image: opts.image.raw,
    imagePullPolicy: opts.imagePullPolicy,
    args: waitArgs(opts),
    env: godwitEnv(opts),
    resources: structuredClone(opts.waitResources),
    securityContext: restrictedSecurityContext(),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

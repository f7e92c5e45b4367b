/**
 * The migration Job, shared by the `job`, `argocd`, `kustomize` and `helm` patterns (which differ
 * only in name, labels and hook annotations).
 *
 * Exit codes decide what a retry is worth (see the exit-code table in the README):
 * 1 (migration failed, rolled back), 2 (bad input or configuration), 5 (partial migration needs a
 * person) and 6 (history does not match the files) fail the Job at once: running it again gives
 * the same answer. 3 (database unreachable), 4 (lock or DDL timeout) and 130/143 (stopped by a
 * signal after a clean rollback) count against `backoffLimit` and are retried. A pod that was
 * disrupted (node drain, preemption: condition `DisruptionTarget`) is not counted at all.
 */
import type { Phase, ResolvedK8sOptions } from './options.js';
import {
  MIGRATE_CONTAINER,
  migrateContainer,
  migrationLabels,
  restrictedPodSecurityContext,
  tmpVolume,
} from './pod-parts.js';
import type { Job, Labels, PodFailurePolicyRule } from './types.js';
import type { FieldComment } from './yaml.js';

/** Exit codes for which a retry cannot help. */
export const FAIL_JOB_EXIT_CODES: readonly number[] = Object.freeze([1, 2, 5, 6]);

/** Seconds the kubelet waits between SIGTERM and SIGKILL; Godwit's --shutdown-grace (20s) fits. */
export const TERMINATION_GRACE_SECONDS = 30;

export interface MigrationJobNaming {
  /** Exactly one of `name` and `generateName`. */
  readonly name?: string;
  readonly generateName?: string;
  readonly annotations?: Labels;
  /** Overrides the default labels (Helm passes `{{ .Release.Name }}` as the instance). */
  readonly labels?: Labels;
  /** Overrides `opts.namespace`; `null` leaves the namespace out. */
  readonly namespace?: string | null;
}

export function podFailurePolicyRules(): PodFailurePolicyRule[] {
  return [
    { action: 'FailJob', onExitCodes: { containerName: MIGRATE_CONTAINER, operator: 'In', values: [...FAIL_JOB_EXIT_CODES] } },
    { action: 'Ignore', onPodConditions: [{ type: 'DisruptionTarget', status: 'True' }] },
  ];
}

export function buildMigrationJob(opts: ResolvedK8sOptions, phase: Phase, naming: MigrationJobNaming): Job {
  const labels = naming.labels ?? migrationLabels(opts);
  const namespace = naming.namespace === undefined ? opts.namespace : naming.namespace ?? undefined;
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      ...(naming.name !== undefined ? { name: naming.name } : {}),
      ...(naming.generateName !== undefined ? { generateName: naming.generateName } : {}),
      ...(namespace !== undefined ? { namespace } : {}),
      labels: { ...labels },
      ...(naming.annotations !== undefined ? { annotations: { ...naming.annotations } } : {}),
    },
    spec: {
      backoffLimit: opts.backoffLimit,
      activeDeadlineSeconds: opts.activeDeadlineSeconds,
      ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished,
      podFailurePolicy: { rules: podFailurePolicyRules() },
      template: {
        metadata: { labels: { ...labels } },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          enableServiceLinks: false,
          terminationGracePeriodSeconds: TERMINATION_GRACE_SECONDS,
          securityContext: restrictedPodSecurityContext(),
          ...(opts.imagePullSecrets.length > 0 ? { imagePullSecrets: opts.imagePullSecrets.map((name) => ({ name })) } : {}),
          containers: [migrateContainer(opts, phase)],
          volumes: [tmpVolume()],
        },
      },
    },
  };
}

/** Line comments that explain the Job's fields in the generated YAML (paths relative to the Job). */
export function jobFieldComments(opts: ResolvedK8sOptions): FieldComment[] {
  const pod = ['spec', 'template', 'spec'];
  return [
    { path: ['spec', 'backoffLimit'], text: 'retries only for exit 3 (unreachable), 4 (timeout) and signals' },
    {
      path: ['spec', 'activeDeadlineSeconds'],
      text: `whole Job incl. retries; > --connect-timeout ${opts.connectTimeout} + --lock-timeout ${opts.lockTimeout}`,
    },
    { path: ['spec', 'ttlSecondsAfterFinished'], text: 'app pods gate on `godwit wait`, not on this Job, so it may go' },
    { path: ['spec', 'podFailurePolicy'], text: 'exit 1, 2, 5, 6 fail at once (a retry cannot help); drains do not count' },
    { path: [...pod, 'restartPolicy'], text: 'required by podFailurePolicy; a retry is a new pod' },
    { path: [...pod, 'automountServiceAccountToken'], text: 'Godwit never calls the Kubernetes API' },
    { path: [...pod, 'terminationGracePeriodSeconds'], text: 'SIGTERM: Godwit rolls back and frees the lock within 20s' },
    { path: [...pod, 'containers', 0, 'env'], text: 'database URL from a Secret that must exist before the Job' },
    { path: [...pod, 'volumes'], text: 'writable /tmp; the root filesystem is read-only' },
  ];
}

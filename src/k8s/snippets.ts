/**
 * Fragments for the app's own manifests: the `godwit wait` initContainer (Job, Helm, Argo CD and
 * kustomize patterns), the `godwit up` initContainer (initContainer pattern) and the startupProbe
 * on the `godwit/http` handler (in-app mode).
 */
import type { ResolvedK8sOptions } from './options.js';
import { INIT_MIGRATE_CONTAINER, migrateContainer, tmpVolume, waitContainer } from './pod-parts.js';
import type { ContainerProbeSnippet, PodSpecSnippet } from './types.js';
import type { FieldComment } from './yaml.js';

export function waitInitContainerSnippet(opts: ResolvedK8sOptions): PodSpecSnippet {
  return { initContainers: [waitContainer(opts)] };
}

export function waitSnippetComments(opts: ResolvedK8sOptions): FieldComment[] {
  return [
    { path: ['initContainers', 0, 'image'], text: 'the migration image of the same release as the app' },
    { path: ['initContainers', 0, 'args'], text: `exit 0 once every pre migration in the image is applied; 4 after ${opts.waitTimeout}, then the kubelet retries` },
  ];
}

/** `godwit up --phase pre` on every replica start; the lock makes the replicas take turns. */
export function migrateInitContainerSnippet(opts: ResolvedK8sOptions): PodSpecSnippet {
  return { initContainers: [migrateContainer(opts, 'pre', INIT_MIGRATE_CONTAINER)], volumes: [tmpVolume()] };
}

export function migrateSnippetComments(): FieldComment[] {
  return [
    { path: ['initContainers', 0, 'args'], text: 'pre phase only: post migrations would break the old pods still serving' },
    { path: ['volumes'], text: 'writable /tmp for the initContainer; the root filesystem is read-only' },
  ];
}

/**
 * The startupProbe for in-app mode. The budget `failureThreshold x periodSeconds` equals the Job's
 * `activeDeadlineSeconds`, which is above --connect-timeout + --lock-timeout: the kubelet does not
 * restart the pod while another replica holds the lock for a long migration. Liveness and readiness
 * probes only start after the startupProbe succeeded.
 */
export function startupProbeSnippet(opts: ResolvedK8sOptions): ContainerProbeSnippet {
  return {
    startupProbe: {
      httpGet: { path: opts.probe.path, port: opts.probe.port },
      periodSeconds: opts.probe.periodSeconds,
      timeoutSeconds: 5,
      failureThreshold: opts.probe.failureThreshold,
    },
  };
}

export function startupProbeComments(opts: ResolvedK8sOptions): FieldComment[] {
  const budget = opts.probe.failureThreshold * opts.probe.periodSeconds;
  return [
    { path: ['startupProbe', 'httpGet', 'path'], text: '503 while migrating, 200 when done, 500 if the migration failed' },
    {
      path: ['startupProbe', 'failureThreshold'],
      text: `x periodSeconds = ${budget}s >= --connect-timeout ${opts.connectTimeout} + --lock-timeout ${opts.lockTimeout} + migration time`,
    },
  ];
}

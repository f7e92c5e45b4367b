/**
 * The kit's entry point: `buildK8s(pattern, options)` validates the options once and returns the
 * files of the pattern. Pure: no file system, no environment, no output.
 *
 * Throws `ConfigError` (exit 2) for an unknown pattern or a bad option.
 */
import { ConfigError } from '../core/errors.js';
import { resolveK8sOptions, type K8sOptions } from './options.js';
import { K8S_PATTERNS, isK8sPattern, type K8sOutput } from './output.js';
import { buildArgoCdPattern } from './patterns/argocd.js';
import { buildHelmPattern } from './patterns/helm.js';
import { buildInAppPattern } from './patterns/inapp.js';
import { buildInitContainerPattern } from './patterns/initcontainer.js';
import { buildJobPattern } from './patterns/job.js';
import { buildKustomizePattern } from './patterns/kustomize.js';

export function buildK8s(pattern: string, options: K8sOptions): K8sOutput {
  if (!isK8sPattern(pattern)) {
    throw new ConfigError(`godwit k8s: unknown pattern "${pattern}"; choose one of ${K8S_PATTERNS.join(', ')}`);
  }
  const opts = resolveK8sOptions(options);
  switch (pattern) {
    case 'initcontainer':
      return buildInitContainerPattern(opts);
    case 'job':
      return buildJobPattern(opts);
    case 'helm':
      return buildHelmPattern(opts);
    case 'argocd':
      return buildArgoCdPattern(opts);
    case 'kustomize':
      return buildKustomizePattern(opts);
    case 'inapp':
      return buildInAppPattern(opts);
  }
}

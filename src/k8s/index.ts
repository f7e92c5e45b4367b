/** The Kubernetes kit: pure builders from options to manifests, charts and snippets. */
export { buildK8s } from './build-k8s.js';
export { K8S_FLAGS, k8sOptionsFromFlags, type K8sFlag } from './k8s-flags.js';
export { DEFAULTS, RUN_AS_USER, resolveK8sOptions, type K8sOptions, type ResolvedK8sOptions } from './options.js';
export { K8S_PATTERNS, renderForStdout, type K8sOutput, type K8sPattern, type OutputFile, type OutputRole, type OutputShape } from './output.js';
export { toYaml, toYamlDocument, type YamlDoc } from './yaml.js';

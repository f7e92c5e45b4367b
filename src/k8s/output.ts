/**
 * What a pattern builder returns: a set of files (relative paths, final text), and how the CLI
 * prints them when no `--out` folder is given.
 */
import { commentLines } from './yaml.js';

export const K8S_PATTERNS = ['initcontainer', 'job', 'helm', 'argocd', 'kustomize', 'inapp'] as const;
export type K8sPattern = (typeof K8S_PATTERNS)[number];

/**
 * - `manifest`: Kubernetes objects to apply now.
 * - `after-rollout`: objects to apply once the app's rollout finished (the `post` phase Job).
 * - `snippet`: a fragment to merge into the app's own manifest.
 * - `source`: a file of a chart or kustomization (rendered by Helm or kustomize, not applied as is).
 * - `readme`: instructions; not printed on stdout.
 */
export type OutputRole = 'manifest' | 'after-rollout' | 'snippet' | 'source' | 'readme';

/**
 * What the file holds, so tests know which schema to check it against:
 * `objects` (Kubernetes objects), `pod-spec-snippet` (fields of a PodSpec), `container-snippet`
 * (fields of a Container), `helm-template`, `helm-chart` (Chart.yaml), `helm-values`,
 * `kustomization`, `strategic-merge-patch`, `markdown`.
 */
export type OutputShape =
  | 'objects'
  | 'pod-spec-snippet'
  | 'container-snippet'
  | 'helm-template'
  | 'helm-chart'
  | 'helm-values'
  | 'kustomization'
  | 'strategic-merge-patch'
  | 'markdown';

export interface OutputFile {
  /** Relative, `/`-separated. */
  readonly path: string;
  readonly role: OutputRole;
  readonly shape: OutputShape;
  readonly text: string;
}

export interface K8sOutput {
  readonly pattern: K8sPattern;
  /** One or two sentences: what this is and the next step. */
  readonly summary: string;
  readonly files: readonly OutputFile[];
}

export function isK8sPattern(s: string): s is K8sPattern {
  return (K8S_PATTERNS as readonly string[]).includes(s);
}

/**
 * All files as one YAML stream with `# Source: <path>` headers, for reading or piping.
 * Only what may be applied right now is printed as live YAML: with manifests to apply now,
 * after-rollout objects are printed commented out (so `godwit k8s job | kubectl apply -f -`
 * applies exactly the pre-phase Job and can never run the post phase before the rollout
 * finished), and snippets are commented out whenever there are objects to apply. README files
 * are left out.
 */
export function renderForStdout(out: K8sOutput): string {
  const printable = out.files.filter((f) => f.role !== 'readme');
  const hasManifests = printable.some((f) => f.role === 'manifest');
  const hasObjects = hasManifests || printable.some((f) => f.role === 'after-rollout');
  const parts = printable.map((f) => {
    const head = `# Source: ${f.path}\n`;
    if ((hasObjects && f.role === 'snippet') || (hasManifests && f.role === 'after-rollout')) {
      const why =
        f.role === 'snippet'
          ? 'Snippet for your own manifest (commented out here; written as a file with --out):'
          : 'Apply after the rollout finished (commented out here so a pipe to kubectl cannot run it early):';
      return head + commentLines(why) + commentLines(f.text);
    }
    return head + f.text;
  });
  return commentLines(`godwit k8s ${out.pattern}: ${out.summary}`) + parts.join('---\n');
}

/**
 * `godwit k8s helm`: a chart folder whose migration Jobs are Helm hooks.
 *
 * - pre phase: `pre-install,pre-upgrade` hook; Helm runs it after rendering and before it applies
 *   any of the release's resources, and waits for the Job to complete.
 * - post phase: `post-install,post-upgrade` hook; runs after the resources are applied (and, with
 *   `--wait`, ready), i.e. after the rollout: the contract part of expand/contract.
 * - Delete policy `before-hook-creation,hook-succeeded`: a succeeded Job is removed, a failed one
 *   stays (until its TTL or the next attempt) for `kubectl logs`.
 * - Job names carry `.Release.Revision`, so every upgrade creates a new Job; the release-name part
 *   is cut to 50 characters so that name + revision always fit the 63 allowed.
 *
 * All values live under the `godwit:` key, so the templates can be copied into the app's own chart
 * (merge the `godwit:` block into its values.yaml) without colliding with the app's `image` or
 * `resources`. `templates/_godwit.tpl` defines `godwit.waitInitContainer` for the app's Deployment.
 */
import { HelmTemplateText } from '../helm-template.js';
import { buildMigrationJob, jobFieldComments } from '../migration-job.js';
import type { Phase, ResolvedK8sOptions } from '../options.js';
import type { K8sOutput, OutputFile } from '../output.js';
import { DATABASE_URL_ENV, MIGRATIONS_DIR_ENV, waitContainer } from '../pod-parts.js';
import type { Container, EnvVar, Job } from '../types.js';
import { toYamlDocument } from '../yaml.js';
import { header, secretReadme } from './common.js';

/** Chart version of the generated chart; bump it when you edit the chart. */
export const GENERATED_CHART_VERSION = '0.1.0';
/** The release-name part of a Job name is cut to this, leaving 13 characters for `-<revision>`. */
const NAME_PREFIX_MAX = 50;

const V = '.Values.godwit';

export function buildHelmPattern(opts: ResolvedK8sOptions): K8sOutput {
  const chartName = `${opts.app}-migrations`;
  const files: OutputFile[] = [
    { path: 'Chart.yaml', role: 'source', shape: 'helm-chart', text: chartYaml(opts, chartName) },
    { path: 'values.yaml', role: 'source', shape: 'helm-values', text: valuesYaml(opts) },
  ];
  for (const phase of opts.phases) {
    files.push({
      path: `templates/godwit-migrate-${phase}-job.yaml`,
      role: 'source',
      shape: 'helm-template',
      text: jobTemplate(opts, phase),
    });
  }
  files.push(
    { path: 'templates/_godwit.tpl', role: 'source', shape: 'helm-template', text: waitTemplate(opts) },
    { path: 'README.md', role: 'readme', shape: 'markdown', text: readme(opts, chartName) },
  );
  return {
    pattern: 'helm',
    summary: 'a chart whose migration Jobs are pre-install/pre-upgrade and post-install/post-upgrade hooks; write it with --out',
    files,
  };
}

function chartYaml(opts: ResolvedK8sOptions, chartName: string): string {
  return toYamlDocument({
    value: {
      apiVersion: 'v2',
      name: chartName,
      description: `Database migrations of ${opts.app}, run by Godwit as Helm hooks`,
      type: 'application',
      version: GENERATED_CHART_VERSION,
      appVersion: opts.image.tag ?? opts.release,
    },
    header: header('helm', 'Use as a chart of its own, or copy templates/ and the godwit: values into the app chart.'),
  });
}

/** Defaults of every value the templates read, from the options the chart was generated with. */
export function helmValues(opts: ResolvedK8sOptions): Record<string, unknown> {
  return {
    godwit: {
      image: {
        repository: opts.image.repository,
        tag: opts.image.tag ?? '',
        digest: opts.image.digest ?? '',
        pullPolicy: opts.imagePullPolicy,
      },
      imagePullSecrets: opts.imagePullSecrets.map((name) => ({ name })),
      database: { secretName: opts.secretName, secretKey: opts.secretKey },
      migrations: {
        lockTimeout: opts.lockTimeout,
        connectTimeout: opts.connectTimeout,
        ...(opts.migrationsDir !== undefined ? { dir: opts.migrationsDir } : {}),
      },
      job: {
        backoffLimit: opts.backoffLimit,
        activeDeadlineSeconds: opts.activeDeadlineSeconds,
        ttlSecondsAfterFinished: opts.ttlSecondsAfterFinished,
      },
      resources: structuredClone(opts.resources),
      nodeSelector: {},
      tolerations: [],
      hooks: {
        pre: { enabled: opts.phases.includes('pre'), weight: 0 },
        post: { enabled: opts.phases.includes('post'), weight: 0 },
      },
      wait: { timeout: opts.waitTimeout, resources: structuredClone(opts.waitResources) },
    },
  };
}

function valuesYaml(opts: ResolvedK8sOptions): string {
  const g = ['godwit'];
  return toYamlDocument({
    value: helmValues(opts),
    header: header('helm', 'Everything sits under godwit: so it can be merged into the values of the app chart.'),
    comments: [
      { path: [...g, 'image', 'tag'], text: 'the migration image of the same release as the app; never latest' },
      { path: [...g, 'image', 'digest'], text: 'sha256:... wins over the tag when set' },
      { path: [...g, 'database'], text: 'an existing Secret: a pre-install hook runs before the chart creates any' },
      { path: [...g, 'job', 'activeDeadlineSeconds'], text: 'keep helm --timeout above this: Helm waits for the hook' },
      { path: [...g, 'job', 'ttlSecondsAfterFinished'], text: 'failed Jobs stay this long; succeeded ones are deleted at once' },
      { path: [...g, 'hooks', 'pre', 'weight'], text: 'hooks run in ascending weight order within a phase' },
      { path: [...g, 'hooks', 'post', 'enabled'], text: 'post-upgrade runs after the rollout only with helm --wait' },
      { path: [...g, 'wait'], text: 'the app initContainer from templates/_godwit.tpl' },
    ],
  });
}

function imageAction(): string {
  return (
    `{{ ${V}.image.repository }}{{ if ${V}.image.digest }}@{{ ${V}.image.digest }}` +
    `{{ else }}:{{ ${V}.image.tag }}{{ end }}`
  );
}

/** Swap the container's values for tokens. */
function templatizeContainer(c: Container, t: HelmTemplateText, kind: 'migrate' | 'wait', phase: Phase): Container {
  const env: EnvVar[] = c.env.map((e) => {
    if (e.name === DATABASE_URL_ENV) {
      return {
        name: e.name,
        valueFrom: {
          secretKeyRef: {
            name: t.inline(`{{ ${V}.database.secretName | quote }}`),
            key: t.inline(`{{ ${V}.database.secretKey | quote }}`),
          },
        },
      };
    }
    if (e.name === MIGRATIONS_DIR_ENV) return { name: e.name, value: t.inline(`{{ ${V}.migrations.dir | quote }}`) };
    return e;
  });
  const args =
    kind === 'migrate'
      ? [
          'up',
          '--phase',
          phase,
          '--lock-timeout',
          t.inline(`{{ ${V}.migrations.lockTimeout | quote }}`),
          '--connect-timeout',
          t.inline(`{{ ${V}.migrations.connectTimeout | quote }}`),
        ]
      : ['wait', '--phase', 'pre', '--timeout', t.inline(`{{ ${V}.wait.timeout | quote }}`)];
  return {
    ...c,
    image: t.inline(`"${imageAction()}"`),
    imagePullPolicy: t.inline(`{{ ${V}.image.pullPolicy }}`) as Container['imagePullPolicy'],
    args,
    env,
    resources: t.block(kind === 'migrate' ? `${V}.resources` : `${V}.wait.resources`) as Container['resources'],
  };
}

function jobTemplate(opts: ResolvedK8sOptions, phase: Phase): string {
  const t = new HelmTemplateText();
  const labels = {
    'app.kubernetes.io/name': 'godwit',
    'app.kubernetes.io/instance': t.inline('{{ .Release.Name | quote }}'),
    'app.kubernetes.io/component': 'migrations',
    'app.kubernetes.io/part-of': opts.app,
    'app.kubernetes.io/managed-by': t.inline('{{ .Release.Service | quote }}'),
  };
  const job: Job = buildMigrationJob(opts, phase, {
    name: t.inline(
      `{{ printf "%s-migrate-${phase}" .Release.Name | trunc ${NAME_PREFIX_MAX} | trimSuffix "-" }}-{{ .Release.Revision }}`,
    ),
    namespace: t.inline('{{ .Release.Namespace | quote }}'),
    labels,
    annotations: {
      'helm.sh/hook': phase === 'pre' ? 'pre-install,pre-upgrade' : 'post-install,post-upgrade',
      'helm.sh/hook-weight': t.inline(`{{ ${V}.hooks.${phase}.weight | quote }}`),
      'helm.sh/hook-delete-policy': 'before-hook-creation,hook-succeeded',
    },
  });
  const spec = job.spec;
  // `| int`: Helm reads numbers in values as floats and prints 1000000 as 1e+06.
  spec.backoffLimit = t.inline(`{{ ${V}.job.backoffLimit | int }}`) as unknown as number;
  spec.activeDeadlineSeconds = t.inline(`{{ ${V}.job.activeDeadlineSeconds | int }}`) as unknown as number;
  spec.ttlSecondsAfterFinished = t.inline(`{{ ${V}.job.ttlSecondsAfterFinished | int }}`) as unknown as number;
  const pod = spec.template.spec;
  const { containers, volumes, imagePullSecrets: _ignored, ...podRest } = pod;
  const container = containers[0];
  if (container === undefined) throw new Error('helm: the migration Job has no container');
  spec.template.spec = {
    ...podRest,
    imagePullSecrets: t.optionalBlock(`${V}.imagePullSecrets`) as unknown as { name: string }[],
    nodeSelector: t.optionalBlock(`${V}.nodeSelector`),
    tolerations: t.optionalBlock(`${V}.tolerations`),
    containers: [templatizeContainer(container, t, 'migrate', phase)],
    ...(volumes !== undefined ? { volumes } : {}),
  } as typeof pod;
  const yaml = toYamlDocument({
    value: job,
    header: header(
      'helm',
      phase === 'pre'
        ? 'pre-install,pre-upgrade hook: expand migrations, before the new version is applied.'
        : 'post-install,post-upgrade hook: contract migrations, after the rollout (deploy with --wait).',
    ),
    comments: [...jobFieldComments(opts), { path: ['metadata', 'name'], text: 'new Job per revision: Job specs are immutable' }],
  });
  return `{{- if ${V}.hooks.${phase}.enabled }}\n${t.render(yaml)}{{- end }}\n`;
}

function waitTemplate(opts: ResolvedK8sOptions): string {
  const t = new HelmTemplateText();
  const list = toYamlDocument({ value: [templatizeContainer(waitContainer(opts), t, 'wait', 'pre')] });
  return [
    '{{/*',
    'Generated by `godwit k8s helm`. The app\'s gate: in the Deployment of the app chart write',
    '      initContainers:',
    '        {{- include "godwit.waitInitContainer" . | nindent 8 }}',
    'It runs `godwit wait --phase pre` from the migration image of this release; the pod starts once',
    'every pre migration in the image is applied. No RBAC, independent of the Job and its TTL.',
    '*/}}',
    '{{- define "godwit.waitInitContainer" -}}',
    t.render(list).replace(/\n$/, ''),
    '{{- end }}',
    '',
  ].join('\n');
}

function readme(opts: ResolvedK8sOptions, chartName: string): string {
  return [
    `# ${chartName}: Godwit migrations as Helm hooks`,
    '',
    'Generated by `godwit k8s helm`. The full guide is docs/kubernetes.md in the Godwit repository.',
    '',
    '```sh',
    `helm upgrade --install ${opts.app} ./${chartName} --wait --timeout ${Math.ceil(opts.activeDeadlineSeconds / 60) + 5}m \\`,
    '  --set godwit.image.tag=NEW_TAG',
    '```',
    '',
    '- `templates/godwit-migrate-pre-job.yaml`: `pre-install,pre-upgrade` hook, `godwit up --phase pre`.',
    '  Helm applies nothing of the release until it completed.',
    '- `templates/godwit-migrate-post-job.yaml`: `post-install,post-upgrade` hook, `godwit up --phase post`.',
    '  Helm runs it after the release\'s resources are applied; only with `--wait` is that after the',
    '  new pods are ready. Without `--wait` it would run while old pods still serve: always pass it.',
    '- `--timeout` covers the hooks too (default 5m). Keep it above `godwit.job.activeDeadlineSeconds`',
    '  or Helm gives up (and `--atomic` rolls back) while the migration is still running.',
    '- `templates/_godwit.tpl` defines `godwit.waitInitContainer` for the app\'s Deployment.',
    '',
    'To use it inside the app chart, copy `templates/*` and merge the `godwit:` block of',
    '`values.yaml` into the app chart\'s values.',
    '',
    secretReadme(opts),
  ].join('\n');
}

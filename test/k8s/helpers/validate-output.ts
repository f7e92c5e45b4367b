/**
 * Validate every file of a pattern's output: each Kubernetes object, snippet (merged into a sample
 * Deployment), Helm template (after rendering with mini-helm) and kustomize overlay (after
 * mini-kustomize) goes through the schema, the unknown-field check, the API rules and Godwit's
 * policy. Returns the objects it checked, with their problems.
 */
import { parse, parseAllDocuments } from 'yaml';
import type { K8sOutput } from '../../../src/k8s/output.js';
import { godwitContainerPolicyProblems, godwitJobPolicyProblems } from './k8s-rules.js';
import { GoInt, MiniHelm, type HelmContext } from './mini-helm.js';
import { applyComponent, kustomizeBuild } from './mini-kustomize.js';
import { objectProblems, sampleDeployment, type Problem } from './validate-k8s.js';

type Obj = Record<string, unknown>;

export interface CheckedObject {
  readonly source: string;
  readonly object: Obj;
  readonly problems: Problem[];
}

export interface HelmRenderInput {
  readonly releaseName: string;
  readonly revision: number;
  readonly namespace: string;
  /** Deep-merged over values.yaml, like `--set`. */
  readonly overrides?: Obj;
}

function check(source: string, object: Obj): CheckedObject {
  const problems = objectProblems(object);
  if (object.kind === 'Job') problems.push(...godwitJobPolicyProblems(object));
  return { source, object, problems };
}

function podSpecOf(o: Obj): Obj {
  return ((o.spec as Obj).template as Obj).spec as Obj;
}

function checkSnippetHost(source: string, deployment: Obj, godwitContainers: Obj[]): CheckedObject {
  const c = check(source, deployment);
  godwitContainers.forEach((gc, i) => c.problems.push(...godwitContainerPolicyProblems(gc, `godwit container ${i}`)));
  return c;
}

export function deepMerge(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] = v !== null && typeof v === 'object' && !Array.isArray(v) && b !== null && typeof b === 'object' && !Array.isArray(b) ? deepMerge(b as Obj, v as Obj) : v;
  }
  return out;
}

export function renderHelm(out: K8sOutput, input: HelmRenderInput): Map<string, string> {
  const files = new Map(out.files.map((f) => [f.path, f.text]));
  const values = deepMerge(parse(files.get('values.yaml') ?? '') as Obj, input.overrides ?? {});
  const chart = parse(files.get('Chart.yaml') ?? '') as Obj;
  const ctx: HelmContext = {
    Values: values,
    Release: { Name: input.releaseName, Namespace: input.namespace, Revision: new GoInt(input.revision), Service: 'Helm', IsInstall: input.revision === 1, IsUpgrade: input.revision > 1 },
    Chart: { Name: String(chart.name), Version: String(chart.version) },
  };
  const helm = new MiniHelm(ctx);
  const templates = out.files.filter((f) => f.path.startsWith('templates/'));
  for (const t of templates) helm.load(t.text);
  const rendered = new Map<string, string>();
  for (const t of templates) if (!t.path.split('/').pop()!.startsWith('_')) rendered.set(t.path, helm.render(t.text));
  // The app's Deployment as an app chart would write it, using the named template.
  rendered.set(
    'app-deployment (include godwit.waitInitContainer)',
    helm.render(
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: shop',
        'spec:',
        '  selector:',
        '    matchLabels:',
        '      app: shop',
        '  template:',
        '    metadata:',
        '      labels:',
        '        app: shop',
        '    spec:',
        '      initContainers:',
        '        {{- include "godwit.waitInitContainer" . | nindent 8 }}',
        '      containers:',
        '        - name: app',
        '          image: ghcr.io/acme/shop:1.4.2',
        '',
      ].join('\n'),
    ),
  );
  return rendered;
}

export function checkOutput(out: K8sOutput, helmInputs: readonly HelmRenderInput[] = [{ releaseName: 'shop', revision: 1, namespace: 'shop' }]): CheckedObject[] {
  const checked: CheckedObject[] = [];
  const files = new Map(out.files.map((f) => [f.path, f.text]));
  for (const f of out.files) {
    switch (f.shape) {
      case 'objects':
        for (const d of parseAllDocuments(f.text)) {
          const o = d.toJS() as Obj | null;
          if (o) checked.push(check(f.path, o));
        }
        break;
      case 'pod-spec-snippet': {
        const snippet = parse(f.text) as Obj;
        const host = sampleDeployment(snippet);
        checked.push(checkSnippetHost(f.path, host, (snippet.initContainers as Obj[]) ?? []));
        break;
      }
      case 'container-snippet': {
        const snippet = parse(f.text) as Obj;
        checked.push(check(f.path, sampleDeployment({}, snippet)));
        break;
      }
      case 'strategic-merge-patch':
        break; // checked through its component below
      case 'kustomization': {
        const dir = f.path.replace(/\/kustomization\.yaml$/, '');
        if (dir.startsWith('overlays/')) for (const o of kustomizeBuild(files, dir)) checked.push(check(`${dir} (kustomized)`, o));
        if (dir.startsWith('components/')) {
          const d = applyComponent(files, dir, sampleDeployment());
          checked.push(checkSnippetHost(`${dir} (applied)`, d, (podSpecOf(d).initContainers as Obj[]) ?? []));
        }
        break;
      }
      case 'helm-chart':
      case 'helm-values':
      case 'helm-template':
      case 'markdown':
        break;
    }
  }
  if (out.pattern === 'helm') {
    for (const input of helmInputs) {
      for (const [path, text] of renderHelm(out, input)) {
        for (const d of parseAllDocuments(text)) {
          const o = d.toJS() as Obj | null;
          if (!o) continue;
          const c = check(`${path} (rendered ${input.releaseName} r${input.revision})`, o);
          if (o.kind === 'Deployment') {
            ((podSpecOf(o).initContainers as Obj[]) ?? []).forEach((ic, i) => c.problems.push(...godwitContainerPolicyProblems(ic, `initContainers[${i}]`)));
          }
          checked.push(c);
        }
      }
    }
  }
  return checked;
}

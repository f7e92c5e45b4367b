/**
 * Rules that the OpenAPI schema cannot express, written from the API server's validation (names,
 * label syntax, Job restart policy, pod failure policy, deadlines, container references), plus
 * Godwit's own policy for what it generates (restricted Pod Security, Secret-sourced URL, resources).
 *
 * Objects are plain parsed YAML; everything is read defensively and a problem is returned, never
 * thrown.
 */
import type { Problem } from './validate-k8s.js';

type Obj = Record<string, unknown>;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
const QUANTITY = /^(\d+(?:\.\d+)?|\.\d+)(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const FACTORS: Record<string, number> = { '': 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6 };

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Obj => (isObj(v) ? v : {});

export function isDnsLabel(s: unknown): boolean {
  return typeof s === 'string' && s.length <= 63 && DNS_LABEL.test(s);
}

function quantity(v: unknown): number | undefined {
  const s = typeof v === 'number' ? String(v) : v;
  if (typeof s !== 'string') return undefined;
  const m = QUANTITY.exec(s);
  return m ? Number(m[1]) * (FACTORS[m[2] ?? ''] ?? NaN) : undefined;
}

function metadataProblems(meta: Obj, kind: string, out: Problem[]): void {
  const name = meta.name;
  const generateName = meta.generateName;
  if (name === undefined && generateName === undefined) out.push({ path: 'metadata', message: 'name or generateName is required' });
  // Jobs: the name becomes a label value on the pods, hence a DNS-1123 label of at most 63.
  const nameRule = kind === 'Job' ? 'label' : 'subdomain';
  const okName = (s: string): boolean => (nameRule === 'label' ? s.length <= 63 && DNS_LABEL.test(s) : s.length <= 253 && DNS_SUBDOMAIN.test(s));
  if (name !== undefined && (typeof name !== 'string' || !okName(name))) {
    out.push({ path: 'metadata.name', message: `"${String(name)}" is not a valid ${kind} name (DNS-1123 ${nameRule}${nameRule === 'label' ? ', at most 63' : ''})` });
  }
  if (generateName !== undefined) {
    const s = String(generateName);
    if (s.length > 58 || !/^[a-z0-9]([-a-z0-9]*)$/.test(s)) out.push({ path: 'metadata.generateName', message: `"${s}" is not a usable prefix (at most 58)` });
  }
  if (meta.namespace !== undefined && !isDnsLabel(meta.namespace)) out.push({ path: 'metadata.namespace', message: `"${String(meta.namespace)}" is not a DNS-1123 label` });
  labelProblems(meta.labels, 'metadata.labels', true, out);
  labelProblems(meta.annotations, 'metadata.annotations', false, out);
}

function labelProblems(labels: unknown, path: string, checkValues: boolean, out: Problem[]): void {
  if (labels === undefined) return;
  for (const [k, v] of Object.entries(obj(labels))) {
    const slash = k.indexOf('/');
    const prefix = slash >= 0 ? k.slice(0, slash) : undefined;
    const name = slash >= 0 ? k.slice(slash + 1) : k;
    if ((prefix !== undefined && !(prefix.length <= 253 && DNS_SUBDOMAIN.test(prefix))) || !(name.length <= 63 && LABEL_NAME.test(name))) {
      out.push({ path: `${path}.${k}`, message: 'invalid key' });
    }
    if (typeof v !== 'string') out.push({ path: `${path}.${k}`, message: `value must be a string, got ${typeof v}` });
    else if (checkValues && !(v.length <= 63 && LABEL_VALUE.test(v))) out.push({ path: `${path}.${k}`, message: `invalid label value "${v}"` });
  }
}

function containerProblems(c: Obj, path: string, volumeNames: Set<string>, out: Problem[]): void {
  if (!isDnsLabel(c.name)) out.push({ path: `${path}.name`, message: `"${String(c.name)}" is not a DNS-1123 label` });
  if (typeof c.image !== 'string' || c.image.length === 0 || /\s/.test(c.image)) out.push({ path: `${path}.image`, message: 'image is required' });
  arr(c.env).forEach((e, i) => {
    const env = obj(e);
    if (typeof env.name !== 'string' || !ENV_NAME.test(env.name)) out.push({ path: `${path}.env[${i}].name`, message: 'invalid environment variable name' });
    if (env.value !== undefined && env.valueFrom !== undefined) out.push({ path: `${path}.env[${i}]`, message: 'value and valueFrom are exclusive' });
    const ref = obj(obj(env.valueFrom).secretKeyRef);
    if (env.valueFrom !== undefined && Object.keys(ref).length > 0) {
      if (typeof ref.name !== 'string' || !(ref.name.length <= 253 && DNS_SUBDOMAIN.test(ref.name))) out.push({ path: `${path}.env[${i}].valueFrom.secretKeyRef.name`, message: 'invalid Secret name' });
      if (typeof ref.key !== 'string' || !/^[-._a-zA-Z0-9]+$/.test(ref.key)) out.push({ path: `${path}.env[${i}].valueFrom.secretKeyRef.key`, message: 'invalid Secret key' });
    }
  });
  arr(c.volumeMounts).forEach((m, i) => {
    const name = String(obj(m).name);
    if (!volumeNames.has(name)) out.push({ path: `${path}.volumeMounts[${i}]`, message: `no volume named "${name}" in the pod` });
  });
  const res = obj(c.resources);
  for (const key of new Set([...Object.keys(obj(res.requests)), ...Object.keys(obj(res.limits))])) {
    const r = obj(res.requests)[key];
    const l = obj(res.limits)[key];
    const rq = r === undefined ? undefined : quantity(r);
    const lq = l === undefined ? undefined : quantity(l);
    if (r !== undefined && rq === undefined) out.push({ path: `${path}.resources.requests.${key}`, message: `"${String(r)}" is not a quantity` });
    if (l !== undefined && lq === undefined) out.push({ path: `${path}.resources.limits.${key}`, message: `"${String(l)}" is not a quantity` });
    if (rq !== undefined && lq !== undefined && rq > lq) out.push({ path: `${path}.resources.requests.${key}`, message: 'request above limit' });
  }
  for (const probeName of ['startupProbe', 'livenessProbe', 'readinessProbe']) {
    const p = c[probeName];
    if (p === undefined) continue;
    const probe = obj(p);
    for (const f of ['periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold']) {
      const v = probe[f];
      if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 1)) out.push({ path: `${path}.${probeName}.${f}`, message: 'must be at least 1' });
    }
    if ((probeName === 'startupProbe' || probeName === 'livenessProbe') && probe.successThreshold !== undefined && probe.successThreshold !== 1) {
      out.push({ path: `${path}.${probeName}.successThreshold`, message: 'must be 1' });
    }
    const http = obj(probe.httpGet);
    if (probe.httpGet !== undefined && (typeof http.path !== 'string' || !http.path.startsWith('/'))) out.push({ path: `${path}.${probeName}.httpGet.path`, message: 'must be an absolute path' });
  }
}

/** Checks on a PodSpec: container names unique, mounts resolve, restart policy values. */
export function podSpecProblems(spec: Obj, path: string, out: Problem[]): void {
  const volumeNames = new Set(arr(spec.volumes).map((v) => String(obj(v).name)));
  arr(spec.volumes).forEach((v, i) => {
    if (!isDnsLabel(obj(v).name)) out.push({ path: `${path}.volumes[${i}].name`, message: 'not a DNS-1123 label' });
  });
  if (volumeNames.size !== arr(spec.volumes).length) out.push({ path: `${path}.volumes`, message: 'duplicate volume names' });
  const all = [...arr(spec.initContainers), ...arr(spec.containers)].map(obj);
  const names = all.map((c) => c.name);
  if (new Set(names).size !== names.length) out.push({ path, message: 'container names must be unique across initContainers and containers' });
  if (arr(spec.containers).length === 0) out.push({ path: `${path}.containers`, message: 'at least one container is required' });
  arr(spec.initContainers).forEach((c, i) => containerProblems(obj(c), `${path}.initContainers[${i}]`, volumeNames, out));
  arr(spec.containers).forEach((c, i) => containerProblems(obj(c), `${path}.containers[${i}]`, volumeNames, out));
  if (spec.terminationGracePeriodSeconds !== undefined && !(Number.isInteger(spec.terminationGracePeriodSeconds) && (spec.terminationGracePeriodSeconds as number) >= 0)) {
    out.push({ path: `${path}.terminationGracePeriodSeconds`, message: 'must be a non-negative integer' });
  }
}

function jobProblems(job: Obj, out: Problem[]): void {
  const spec = obj(job.spec);
  const pod = obj(obj(spec.template).spec);
  const restart = pod.restartPolicy;
  if (restart !== 'Never' && restart !== 'OnFailure') out.push({ path: 'spec.template.spec.restartPolicy', message: `a Job needs Never or OnFailure, got ${String(restart)}` });
  for (const f of ['backoffLimit', 'ttlSecondsAfterFinished'] as const) {
    const v = spec[f];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= 0)) out.push({ path: `spec.${f}`, message: `must be a non-negative integer, got ${String(v)}` });
  }
  const ads = spec.activeDeadlineSeconds;
  if (ads !== undefined && !(Number.isInteger(ads) && (ads as number) > 0)) out.push({ path: 'spec.activeDeadlineSeconds', message: `must be a positive integer, got ${String(ads)}` });
  const pfp = spec.podFailurePolicy;
  if (pfp !== undefined) {
    if (restart !== 'Never') out.push({ path: 'spec.podFailurePolicy', message: 'requires restartPolicy Never' });
    const containerNames = new Set([...arr(pod.initContainers), ...arr(pod.containers)].map((c) => obj(c).name));
    arr(obj(pfp).rules).forEach((r, i) => {
      const rule = obj(r);
      const p = `spec.podFailurePolicy.rules[${i}]`;
      if ((rule.onExitCodes === undefined) === (rule.onPodConditions === undefined)) out.push({ path: p, message: 'exactly one of onExitCodes and onPodConditions' });
      if (rule.onExitCodes !== undefined) {
        const oe = obj(rule.onExitCodes);
        const values = arr(oe.values);
        if (values.length === 0 || values.length > 255) out.push({ path: `${p}.onExitCodes.values`, message: 'between 1 and 255 values' });
        values.forEach((v, j) => {
          if (!Number.isInteger(v)) out.push({ path: `${p}.onExitCodes.values[${j}]`, message: 'must be an integer' });
          if (j > 0 && (v as number) <= (values[j - 1] as number)) out.push({ path: `${p}.onExitCodes.values`, message: 'must be unique and ascending' });
        });
        if (oe.operator === 'In' && values.includes(0)) out.push({ path: `${p}.onExitCodes.values`, message: '0 is not allowed with In' });
        if (oe.containerName !== undefined && !containerNames.has(oe.containerName)) out.push({ path: `${p}.onExitCodes.containerName`, message: `no container "${String(oe.containerName)}"` });
      }
    });
  }
  podSpecProblems(pod, 'spec.template.spec', out);
}

/** Kubernetes API rules the schema leaves out, for a full object. */
export function kubernetesRuleProblems(o: unknown): Problem[] {
  const out: Problem[] = [];
  const object = obj(o);
  const kind = String(object.kind);
  metadataProblems(obj(object.metadata), kind, out);
  if (kind === 'Job') jobProblems(object, out);
  if (kind === 'Deployment') {
    const spec = obj(object.spec);
    const tpl = obj(spec.template);
    labelProblems(obj(tpl.metadata).labels, 'spec.template.metadata.labels', true, out);
    podSpecProblems(obj(tpl.spec), 'spec.template.spec', out);
  }
  return out;
}

/**
 * Godwit's own policy for every container it generates: the restricted Pod Security Standard on
 * the container itself (it may be pasted into any pod), resources with requests and limits, the
 * database URL from a Secret and never a literal value.
 */
export function godwitContainerPolicyProblems(c: Obj, path: string): Problem[] {
  const out: Problem[] = [];
  const sc = obj(c.securityContext);
  if (sc.runAsNonRoot !== true) out.push({ path: `${path}.securityContext.runAsNonRoot`, message: 'must be true' });
  if (!(Number.isInteger(sc.runAsUser) && (sc.runAsUser as number) > 0)) out.push({ path: `${path}.securityContext.runAsUser`, message: 'must be a non-zero uid' });
  if (sc.allowPrivilegeEscalation !== false) out.push({ path: `${path}.securityContext.allowPrivilegeEscalation`, message: 'must be false' });
  if (sc.readOnlyRootFilesystem !== true) out.push({ path: `${path}.securityContext.readOnlyRootFilesystem`, message: 'must be true' });
  if (!arr(obj(sc.capabilities).drop).includes('ALL')) out.push({ path: `${path}.securityContext.capabilities.drop`, message: 'must drop ALL' });
  if (arr(obj(sc.capabilities).add).length > 0) out.push({ path: `${path}.securityContext.capabilities.add`, message: 'must add nothing' });
  if (obj(sc.seccompProfile).type !== 'RuntimeDefault') out.push({ path: `${path}.securityContext.seccompProfile`, message: 'must be RuntimeDefault' });
  const res = obj(c.resources);
  for (const k of ['requests', 'limits']) {
    const list = obj(res[k]);
    if (list.cpu === undefined && k === 'requests') out.push({ path: `${path}.resources.${k}.cpu`, message: 'must be set' });
    if (list.memory === undefined) out.push({ path: `${path}.resources.${k}.memory`, message: 'must be set' });
  }
  const url = arr(c.env).map(obj).find((e) => e.name === 'GODWIT_DATABASE_URL');
  if (!url) out.push({ path: `${path}.env`, message: 'GODWIT_DATABASE_URL is missing' });
  else if (url.value !== undefined || obj(url.valueFrom).secretKeyRef === undefined) out.push({ path: `${path}.env`, message: 'GODWIT_DATABASE_URL must come from a secretKeyRef' });
  return out;
}

/** Policy for a generated migration Job, on top of the container policy. */
export function godwitJobPolicyProblems(job: Obj): Problem[] {
  const out: Problem[] = [];
  const spec = obj(job.spec);
  const pod = obj(obj(spec.template).spec);
  if (pod.restartPolicy !== 'Never') out.push({ path: 'spec.template.spec.restartPolicy', message: 'must be Never' });
  if (pod.automountServiceAccountToken !== false) out.push({ path: 'spec.template.spec.automountServiceAccountToken', message: 'must be false' });
  for (const f of ['backoffLimit', 'activeDeadlineSeconds', 'ttlSecondsAfterFinished']) {
    if (spec[f] === undefined) out.push({ path: `spec.${f}`, message: 'must be set' });
  }
  if (typeof spec.backoffLimit === 'number' && spec.backoffLimit > 6) out.push({ path: 'spec.backoffLimit', message: 'keep it small' });
  const rules = arr(obj(spec.podFailurePolicy).rules).map(obj);
  const failJob = rules.find((r) => r.action === 'FailJob');
  if (JSON.stringify(obj(failJob?.onExitCodes).values) !== JSON.stringify([1, 2, 5, 6]) || obj(failJob?.onExitCodes).operator !== 'In') {
    out.push({ path: 'spec.podFailurePolicy', message: 'FailJob on exit codes In [1, 2, 5, 6] is required' });
  }
  const ignore = rules.find((r) => r.action === 'Ignore');
  if (!arr(ignore?.onPodConditions).some((c) => obj(c).type === 'DisruptionTarget')) out.push({ path: 'spec.podFailurePolicy', message: 'Ignore on DisruptionTarget is required' });
  const psc = obj(pod.securityContext);
  if (psc.runAsNonRoot !== true || obj(psc.seccompProfile).type !== 'RuntimeDefault') out.push({ path: 'spec.template.spec.securityContext', message: 'must be restricted' });
  arr(pod.containers).forEach((c, i) => out.push(...godwitContainerPolicyProblems(obj(c), `spec.template.spec.containers[${i}]`)));
  return out;
}

/**
 * Validation of generated Kubernetes objects, three layers:
 *
 * 1. Schema: the OpenAPI schemas of the Kubernetes API as shipped (compiled) by kubernetes-models 4.x.
 * 2. Unknown fields: the schemas do not forbid additional properties, so `backofLimit: 2` passes
 *    them (and the API server would drop it silently, leaving the default of 6 retries). The
 *    package ships its schemas as compiled validator functions, not JSON, so we let the validator
 *    itself tell us the schema: it is run on a Proxy of the object that records every property
 *    the validator reads. A compiled validator reads each property its schema declares (and every
 *    key of a free-form map, e.g. labels, by enumerating it); a property it never read is not in
 *    the schema.
 * 3. Rules the schema cannot express: see k8s-rules.ts.
 */
import { Job } from 'kubernetes-models/batch/v1/Job';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Pod } from 'kubernetes-models/v1/Pod';
import { PodSpec } from 'kubernetes-models/v1/PodSpec';
import { Container } from 'kubernetes-models/v1/Container';
import { kubernetesRuleProblems } from './k8s-rules.js';

export interface Problem {
  readonly path: string;
  readonly message: string;
}

interface Validatable {
  prototype: { validate(this: unknown): void };
}

const MODELS: Readonly<Record<string, Validatable>> = {
  'batch/v1/Job': Job as unknown as Validatable,
  'apps/v1/Deployment': Deployment as unknown as Validatable,
  'v1/Pod': Pod as unknown as Validatable,
};

export const PART_MODELS = {
  PodSpec: PodSpec as unknown as Validatable,
  Container: Container as unknown as Validatable,
};

function modelFor(obj: unknown): Validatable {
  const o = obj as { apiVersion?: unknown; kind?: unknown };
  const key = `${String(o.apiVersion)}/${String(o.kind)}`;
  const model = MODELS[key];
  if (!model) throw new Error(`no schema model for ${key}`);
  return model;
}

/**
 * Run the schema validator of `model` on `data`; return schema errors and fields the schema does
 * not know.
 */
export function schemaAndUnknownFieldProblems(data: unknown, model: Validatable): Problem[] {
  const problems: Problem[] = [];
  const read = new WeakMap<object, Set<string>>();
  const enumerated = new WeakSet<object>();
  const proxies = new WeakMap<object, object>();
  const wrap = (v: unknown): unknown => {
    if (v === null || typeof v !== 'object') return v;
    const cached = proxies.get(v);
    if (cached) return cached;
    read.set(v, new Set());
    const p = new Proxy(v, {
      get(target, key, receiver) {
        if (typeof key === 'string') read.get(target)?.add(key);
        return wrap(Reflect.get(target, key, receiver));
      },
      ownKeys(target) {
        enumerated.add(target);
        return Reflect.ownKeys(target);
      },
    });
    proxies.set(v, p);
    return p;
  };
  try {
    model.prototype.validate.call(wrap(data));
  } catch (e) {
    problems.push({ path: '', message: `schema: ${(e as Error).message}` });
  }
  const walk = (v: unknown, path: string): void => {
    if (v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => walk(x, `${path}[${i}]`));
      return;
    }
    const seen = read.get(v);
    for (const [k, x] of Object.entries(v)) {
      const p = path ? `${path}.${k}` : k;
      if (!enumerated.has(v) && !seen?.has(k)) problems.push({ path: p, message: `unknown field "${k}"` });
      walk(x, p);
    }
  };
  walk(data, '');
  return problems;
}

/** All three layers for a full object (Job, Deployment, Pod). */
export function objectProblems(obj: unknown): Problem[] {
  return [...schemaAndUnknownFieldProblems(obj, modelFor(obj)), ...kubernetesRuleProblems(obj)];
}

/** A placeholder app Deployment to merge snippets into. */
export function sampleDeployment(podSpecExtra: Record<string, unknown> = {}, containerExtra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop' },
    spec: {
      selector: { matchLabels: { app: 'shop' } },
      template: {
        metadata: { labels: { app: 'shop' } },
        spec: {
          containers: [{ name: 'app', image: 'ghcr.io/acme/shop:1.4.2', ports: [{ name: 'http', containerPort: 8080 }], ...containerExtra }],
          ...podSpecExtra,
        },
      },
    },
  };
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`).join('\n');
}

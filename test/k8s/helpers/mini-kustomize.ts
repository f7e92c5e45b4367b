/**
 * Just enough of kustomize to check the generated overlays without a kustomize binary: a
 * kustomization's `resources` (files and folders), `namespace`, `nameSuffix` and `images`, and a
 * Component's strategic merge patch of a Deployment's initContainers (merged by name).
 * Anything else in a kustomization throws. `kubectl kustomize` rendering is a later step.
 */
import { parse, parseAllDocuments } from 'yaml';

type Obj = Record<string, unknown>;
const KNOWN = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'nameSuffix', 'images', 'patches', 'components']);

/** files: relative path -> text. Returns the objects of the kustomization in `dir`. */
export function kustomizeBuild(files: ReadonlyMap<string, string>, dir: string): Obj[] {
  const text = files.get(`${dir}/kustomization.yaml`);
  if (text === undefined) throw new Error(`mini-kustomize: no ${dir}/kustomization.yaml`);
  const k = parse(text) as Obj;
  for (const key of Object.keys(k)) if (!KNOWN.has(key)) throw new Error(`mini-kustomize: unsupported field ${key}`);
  if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1' || k.kind !== 'Kustomization') throw new Error('mini-kustomize: not a Kustomization');
  let objects: Obj[] = [];
  for (const r of (k.resources as string[] | undefined) ?? []) {
    const path = normalize(`${dir}/${r}`);
    if (files.has(path)) objects.push(...parseAllDocuments(files.get(path)!).map((d) => d.toJS() as Obj).filter(Boolean));
    else objects.push(...kustomizeBuild(files, path));
  }
  objects = objects.map((o) => structuredClone(o));
  for (const o of objects) {
    const meta = o.metadata as Obj;
    if (typeof k.nameSuffix === 'string') meta.name = `${String(meta.name)}${k.nameSuffix}`;
    if (typeof k.namespace === 'string') meta.namespace = k.namespace;
    for (const img of (k.images as Obj[] | undefined) ?? []) retag(o, img);
  }
  return objects;
}

function retag(o: Obj, img: Obj): void {
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (v === null || typeof v !== 'object') return;
    const x = v as Obj;
    if (typeof x.image === 'string' && (Array.isArray((v as Obj).args) || 'name' in x)) {
      const at = x.image.indexOf('@');
      const noDigest = at >= 0 ? x.image.slice(0, at) : x.image;
      const colon = noDigest.lastIndexOf(':');
      const repo = colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest;
      if (repo === img.name) {
        const name = (img.newName as string | undefined) ?? repo;
        x.image = img.digest !== undefined ? `${name}@${String(img.digest)}` : `${name}:${String(img.newTag)}`;
      }
    }
    Object.values(x).forEach(visit);
  };
  visit(o);
}

/** Apply a Component (`patches` with a strategic merge patch adding initContainers) to a Deployment. */
export function applyComponent(files: ReadonlyMap<string, string>, dir: string, deployment: Obj): Obj {
  const c = parse(files.get(`${dir}/kustomization.yaml`)!) as Obj;
  if (c.kind !== 'Component' || c.apiVersion !== 'kustomize.config.k8s.io/v1alpha1') throw new Error('mini-kustomize: not a Component');
  const out = structuredClone(deployment);
  for (const p of c.patches as Obj[]) {
    const target = p.target as Obj;
    if (target.kind !== out.kind || target.name !== (out.metadata as Obj).name) continue;
    const patch = parse(files.get(`${dir}/${String(p.path)}`)!) as Obj;
    const pSpec = ((patch.spec as Obj).template as Obj).spec as Obj;
    const oSpec = ((out.spec as Obj).template as Obj).spec as Obj;
    for (const key of Object.keys(pSpec)) {
      if (key !== 'initContainers') throw new Error(`mini-kustomize: cannot merge ${key}`);
      const existing = (oSpec.initContainers as Obj[] | undefined) ?? [];
      for (const ic of pSpec.initContainers as Obj[]) {
        const i = existing.findIndex((e) => e.name === ic.name);
        if (i >= 0) existing[i] = { ...existing[i], ...ic };
        else existing.push(ic);
      }
      oSpec.initContainers = existing;
    }
  }
  return out;
}

function normalize(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.' && seg !== '') parts.push(seg);
  }
  return parts.join('/');
}

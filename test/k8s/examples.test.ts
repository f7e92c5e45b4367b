/**
 * examples/kubernetes holds the output of the commands in its README, plus a complete app
 * Deployment with the wait initContainer merged in. This keeps them in step with the generator
 * (UPDATE_GOLDEN=1 rewrites the generated parts) and validates the Deployment.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import type { K8sOptions } from '../../src/k8s/options.js';
import { godwitContainerPolicyProblems } from './helpers/k8s-rules.js';
import { formatProblems, objectProblems } from './helpers/validate-k8s.js';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', 'kubernetes');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** The options of the README's commands: godwit k8s <pattern> --app todo --image ... --out <dir> */
const OPTIONS: K8sOptions = { app: 'todo', image: 'ghcr.io/example/todo-migrations:0.1.0' };
const GENERATED: Record<string, string> = { job: 'job', helm: 'helm/todo-migrations' };

describe('examples/kubernetes', () => {
  for (const [pattern, sub] of Object.entries(GENERATED)) {
    it(`${sub} is the output of godwit k8s ${pattern}`, () => {
      for (const f of buildK8s(pattern, OPTIONS).files) {
        const path = join(DIR, sub, f.path);
        if (UPDATE) {
          mkdirSync(dirname(path), { recursive: true });
          writeFileSync(path, f.text);
        }
        assert.ok(existsSync(path), `${path} is missing; UPDATE_GOLDEN=1 regenerates it`);
        assert.equal(readFileSync(path, 'utf8'), f.text, `${path} is out of date; UPDATE_GOLDEN=1 regenerates it`);
      }
    });
  }

  it('job/deployment.yaml is a valid Deployment with the generated wait initContainer', () => {
    const docs = parseAllDocuments(readFileSync(join(DIR, 'job', 'deployment.yaml'), 'utf8')).map((d) => d.toJS() as Record<string, any>);
    const dep = docs.find((d) => d.kind === 'Deployment');
    assert.ok(dep);
    const problems = objectProblems(dep);
    const snippet = parse(buildK8s('job', OPTIONS).files.find((f) => f.path === 'app-wait-initcontainer.yaml')!.text);
    const init = dep.spec.template.spec.initContainers;
    assert.deepEqual(init, snippet.initContainers, 'the initContainer must be the generated one');
    problems.push(...godwitContainerPolicyProblems(init[0], 'initContainers[0]'));
    assert.deepEqual(problems, [], formatProblems(problems));
  });
});

/**
 * The validator used by the manifest tests must reject what a real API server (or a silent
 * default) would get wrong; each case starts from a generated, valid Job and breaks one thing.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import { godwitJobPolicyProblems } from './helpers/k8s-rules.js';
import { goString, GoInt, MiniHelm } from './helpers/mini-helm.js';
import { objectProblems, schemaAndUnknownFieldProblems, PART_MODELS, type Problem } from './helpers/validate-k8s.js';
import { BASE } from './helpers/option-sets.js';
import { checkOutput } from './helpers/validate-output.js';

type Obj = Record<string, any>;

function generatedJob(): Obj {
  const out = buildK8s('job', BASE);
  return parse(out.files.find((f) => f.path === 'migrate-pre-job.yaml')!.text) as Obj;
}

function problemsAfter(mutate: (job: Obj) => void): Problem[] {
  const job = generatedJob();
  mutate(job);
  return [...objectProblems(job), ...godwitJobPolicyProblems(job)];
}

function assertRejected(problems: Problem[], pathPart: string, messagePart: string | RegExp): void {
  const hit = problems.find((p) => (p.path.includes(pathPart) || p.message.includes(pathPart)) && (typeof messagePart === 'string' ? p.message.includes(messagePart) : messagePart.test(p.message)));
  assert.ok(hit, `expected a problem at ${pathPart} matching ${String(messagePart)}; got:\n${JSON.stringify(problems, null, 1)}`);
}

describe('manifest validator', () => {
  it('accepts the generated Job as is', () => {
    assert.deepEqual(problemsAfter(() => {}), []);
  });

  it('rejects the typo `backofLimit`, which the schema alone accepts', () => {
    const job = generatedJob();
    delete job.spec.backoffLimit;
    job.spec.backofLimit = 2;
    assert.doesNotThrow(() => new Job(job).validate(), 'kubernetes-models schema validation alone lets the typo through');
    const problems = objectProblems(job);
    assertRejected(problems, 'spec.backofLimit', 'unknown field "backofLimit"');
    assertRejected(godwitJobPolicyProblems(job), 'spec.backoffLimit', 'must be set');
  });

  it('rejects unknown fields deep inside the pod template', () => {
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].securityContext.readonlyRootFilesystem = true)), 'securityContext.readonlyRootFilesystem', 'unknown field');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.optinal = false)), 'secretKeyRef.optinal', 'unknown field');
    assertRejected(problemsAfter((j) => (j.spec.podFailurePolicy.rules[0].onExitCode = {})), 'rules[0].onExitCode', 'unknown field');
    assertRejected(problemsAfter((j) => (j.metadata.lables = { a: 'b' })), 'metadata.lables', 'unknown field');
  });

  it('does not flag free-form maps (labels, annotations, resource lists)', () => {
    const problems = problemsAfter((j) => {
      j.metadata.labels['team.example.com/owner'] = 'db';
      j.metadata.annotations = { 'example.com/anything': 'x' };
      j.spec.template.spec.containers[0].resources.limits['ephemeral-storage'] = '1Gi';
    });
    assert.deepEqual(problems, []);
  });

  it('reports schema errors (wrong types, missing required fields)', () => {
    assertRejected(problemsAfter((j) => (j.spec.backoffLimit = '2')), '', /schema: .*backoffLimit/);
    assertRejected(problemsAfter((j) => delete j.spec.podFailurePolicy.rules[1].onPodConditions[0].status), '', /schema: .*status/);
    assertRejected(problemsAfter((j) => (j.spec.template.spec.restartPolicy = 'Sometimes')), '', /schema: .*restartPolicy/);
  });

  it('enforces Job rules the schema cannot express', () => {
    assertRejected(problemsAfter((j) => (j.spec.template.spec.restartPolicy = 'Always')), 'restartPolicy', 'Never or OnFailure');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.restartPolicy = 'OnFailure')), 'spec.podFailurePolicy', 'requires restartPolicy Never');
    assertRejected(problemsAfter((j) => (j.metadata.name = 'a'.repeat(64))), 'metadata.name', 'at most 63');
    assertRejected(problemsAfter((j) => (j.metadata.name = 'Shop_Migrate')), 'metadata.name', 'not a valid Job name');
    assertRejected(problemsAfter((j) => (j.spec.activeDeadlineSeconds = -1)), 'activeDeadlineSeconds', 'positive');
    assertRejected(problemsAfter((j) => (j.spec.activeDeadlineSeconds = 0)), 'activeDeadlineSeconds', 'positive');
    assertRejected(problemsAfter((j) => (j.spec.ttlSecondsAfterFinished = -5)), 'ttlSecondsAfterFinished', 'non-negative');
    assertRejected(problemsAfter((j) => (j.spec.backoffLimit = -1)), 'backoffLimit', 'non-negative');
    assertRejected(problemsAfter((j) => (j.spec.podFailurePolicy.rules[0].onExitCodes.values = [0, 1])), 'onExitCodes.values', '0 is not allowed');
    assertRejected(problemsAfter((j) => (j.spec.podFailurePolicy.rules[0].onExitCodes.values = [2, 1])), 'onExitCodes.values', 'ascending');
    assertRejected(problemsAfter((j) => (j.spec.podFailurePolicy.rules[0].onExitCodes.containerName = 'migrate')), 'containerName', 'no container');
    assertRejected(problemsAfter((j) => (j.metadata.labels['app.kubernetes.io/version'] = 'v1+build.7')), 'labels', 'invalid label value');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].volumeMounts[0].name = 'tmp')), 'volumeMounts', 'no volume');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].resources.requests.memory = '1Gi')), 'requests.memory', 'request above limit');
  });

  it("enforces Godwit's policy", () => {
    assertRejected(problemsAfter((j) => (j.spec.template.spec.automountServiceAccountToken = true)), 'automountServiceAccountToken', 'must be false');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].securityContext.allowPrivilegeEscalation = true)), 'allowPrivilegeEscalation', 'must be false');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].securityContext.capabilities.drop = [])), 'capabilities.drop', 'ALL');
    assertRejected(problemsAfter((j) => (j.spec.template.spec.containers[0].env[0] = { name: 'GODWIT_DATABASE_URL', value: 'postgres://u:p@db/x' })), 'env', 'secretKeyRef');
    assertRejected(problemsAfter((j) => (j.spec.podFailurePolicy.rules[0].onExitCodes.values = [1, 2])), 'podFailurePolicy', '[1, 2, 5, 6]');
    assertRejected(problemsAfter((j) => (j.spec.podFailurePolicy.rules = j.spec.podFailurePolicy.rules.slice(0, 1))), 'podFailurePolicy', 'DisruptionTarget');
    assertRejected(problemsAfter((j) => delete j.spec.template.spec.containers[0].resources.limits), 'resources.limits', 'must be set');
  });

  it('checks parts (a container) against their own schema', () => {
    const c = generatedJob().spec.template.spec.containers[0];
    assert.deepEqual(schemaAndUnknownFieldProblems(c, PART_MODELS.Container), []);
    c.startupprobe = {};
    assertRejected(schemaAndUnknownFieldProblems(c, PART_MODELS.Container), 'startupprobe', 'unknown field');
  });
});

describe('the pipeline catches typos in every kind of output', () => {
  const typo = (pattern: string, path: string): string[] => {
    const out = buildK8s(pattern, BASE);
    const files = out.files.map((f) => (f.path === path ? { ...f, text: f.text.replace('backoffLimit:', 'backofLimit:').replace('readOnlyRootFilesystem:', 'readonlyRootFilesystem:') } : f));
    return checkOutput({ ...out, files }).flatMap((c) => c.problems.map((p) => `${c.source}: ${p.path} ${p.message}`));
  };

  it('in a Helm template, after rendering', () => {
    const problems = typo('helm', 'templates/godwit-migrate-pre-job.yaml');
    assert.ok(problems.some((p) => p.includes('spec.backofLimit unknown field')), problems.join('\n'));
  });

  it('in a kustomize base, through the overlay', () => {
    const problems = typo('kustomize', 'base/pre/job.yaml');
    assert.ok(problems.some((p) => p.startsWith('overlays/example/pre (kustomized)') && p.includes('backofLimit')), problems.join('\n'));
  });

  it('in a snippet, merged into a Deployment', () => {
    const problems = typo('job', 'app-wait-initcontainer.yaml');
    assert.ok(problems.some((p) => p.includes('readonlyRootFilesystem unknown field')), problems.join('\n'));
  });

  it('in the Helm named template used by the app Deployment', () => {
    const problems = typo('helm', 'templates/_godwit.tpl');
    assert.ok(problems.some((p) => p.includes('app-deployment') && p.includes('readonlyRootFilesystem unknown field')), problems.join('\n'));
  });
});

describe('mini-helm', () => {
  it('prints floats like Go, so a template without `| int` is caught', () => {
    assert.equal(goString(1800), '1800');
    assert.equal(goString(86400), '86400');
    assert.equal(goString(2000000), '2e+06');
    assert.equal(goString(1234567), '1.234567e+06');
    assert.equal(goString(new GoInt(2000000)), '2000000');
    const ctx = { Values: { n: 2000000 }, Release: { Name: 'r', Namespace: 'n', Revision: new GoInt(1), Service: 'Helm', IsInstall: true, IsUpgrade: false }, Chart: { Name: 'c', Version: '0.1.0' } };
    assert.equal(new MiniHelm(ctx).render('a: {{ .Values.n }}\nb: {{ .Values.n | int }}'), 'a: 2e+06\nb: 2000000');
  });

  it('trims, branches and refuses what it does not know', () => {
    const ctx = { Values: { on: true, list: [] as unknown[], m: { a: 1 } }, Release: { Name: 'r', Namespace: 'n', Revision: new GoInt(3), Service: 'Helm', IsInstall: false, IsUpgrade: true }, Chart: { Name: 'c', Version: '1' } };
    const h = new MiniHelm(ctx);
    assert.equal(h.render('x:\n  {{- if .Values.on }} yes{{ else }} no{{ end }}\n'), 'x: yes\n');
    assert.equal(h.render('a: 1\n{{- with .Values.list }}\nl: {{ . }}\n{{- end }}\n'), 'a: 1\n');
    assert.equal(h.render('m:\n  {{- toYaml .Values.m | nindent 2 }}'), 'm:\n  a: 1');
    assert.equal(h.render('{{ printf "%s-x" .Release.Name | trunc 3 | trimSuffix "-" }}-{{ .Release.Revision }}'), 'r-x-3');
    assert.throws(() => h.render('{{ range .Values.list }}{{ end }}'), /unsupported/);
    assert.throws(() => h.render('{{ .Values.m | toJson }}'), /unsupported function/);
  });
});

/** runK8sCommand: stdout stream vs --out folder, and what a pipe to `kubectl apply -f -` would apply. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseAllDocuments } from 'yaml';
import { runK8sCommand } from '../../src/cli/commands/k8s.js';
import { ConfigError } from '../../src/core/errors.js';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import { BASE } from './helpers/option-sets.js';

function memoryIo(): { io: Parameters<typeof runK8sCommand>[1]; stdout: string[]; files: Map<string, string> } {
  const stdout: string[] = [];
  const files = new Map<string, string>();
  return {
    stdout,
    files,
    io: {
      stdout: (s) => void stdout.push(s),
      writeFile: async (path, data) => void files.set(path, data),
    },
  };
}

/** The objects `kubectl apply -f -` would see (comment-only documents are empty). */
function liveObjects(stream: string): Record<string, unknown>[] {
  return parseAllDocuments(stream)
    .map((d) => d.toJS() as Record<string, unknown> | null)
    .filter((o): o is Record<string, unknown> => o !== null);
}

describe('runK8sCommand', () => {
  it('prints the job pattern so that a pipe to kubectl applies only the pre-phase Job', async () => {
    const m = memoryIo();
    assert.equal(await runK8sCommand({ pattern: 'job', options: BASE }, m.io), 0);
    const text = m.stdout.join('');
    const live = liveObjects(text);
    assert.equal(live.length, 1);
    assert.equal((live[0]!.metadata as Record<string, unknown>).name, 'shop-migrate-pre-1-4-2');
    assert.match(text, /# Source: migrate-post-job\.yaml\n# Apply after the rollout finished/);
    assert.match(text, /# Source: app-wait-initcontainer\.yaml/);
    assert.equal(m.files.size, 0);
  });

  it('prints a post-only job plainly (it is what the user asked to apply)', async () => {
    const m = memoryIo();
    await runK8sCommand({ pattern: 'job', options: { ...BASE, phases: ['post'] } }, m.io);
    const live = liveObjects(m.stdout.join(''));
    assert.deepEqual(live.map((o) => (o.metadata as Record<string, unknown>).name), ['shop-migrate-post-1-4-2']);
  });

  it('prints the initcontainer snippet uncommented (nothing else to apply)', async () => {
    const m = memoryIo();
    await runK8sCommand({ pattern: 'initcontainer', options: BASE }, m.io);
    const live = liveObjects(m.stdout.join(''));
    assert.equal(live.length, 1);
    assert.ok(Array.isArray(live[0]!.initContainers));
  });

  it('writes every file under --out, README included, and nothing to stdout but a summary', async () => {
    const m = memoryIo();
    assert.equal(await runK8sCommand({ pattern: 'helm', out: 'deploy/chart', options: BASE }, m.io), 0);
    const expected = buildK8s('helm', BASE).files.map((f) => `deploy/chart/${f.path}`).sort();
    assert.deepEqual([...m.files.keys()].sort(), expected);
    assert.ok(m.files.has('deploy/chart/templates/godwit-migrate-pre-job.yaml'));
    assert.ok(m.files.has('deploy/chart/README.md'));
    assert.match(m.stdout.join(''), /wrote deploy\/chart\/Chart\.yaml/);
  });

  it('throws ConfigError before writing anything on bad input', async () => {
    const m = memoryIo();
    await assert.rejects(runK8sCommand({ pattern: 'nope', out: 'x', options: BASE }, m.io), ConfigError);
    await assert.rejects(runK8sCommand({ pattern: 'job', out: 'x', options: { ...BASE, image: 'a/b:latest' } }, m.io), ConfigError);
    assert.equal(m.files.size, 0);
    assert.equal(m.stdout.length, 0);
  });
});

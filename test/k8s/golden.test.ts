/**
 * Golden files: the exact bytes each pattern writes with `--out`, and what it prints without.
 * Regenerate after a deliberate change with `UPDATE_GOLDEN=1 node --import tsx --test test/k8s/golden.test.ts`
 * and review the diff.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import { K8S_PATTERNS, renderForStdout } from '../../src/k8s/output.js';
import type { K8sOptions } from '../../src/k8s/options.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'k8s-golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const OPTIONS: K8sOptions = { app: 'shop', image: 'ghcr.io/acme/shop-migrations:1.4.2', namespace: 'shop' };

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

describe('golden files', () => {
  for (const pattern of K8S_PATTERNS) {
    it(pattern, () => {
      const out = buildK8s(pattern, OPTIONS);
      const dir = join(ROOT, pattern);
      const expected = new Map(out.files.map((f) => [join('files', f.path), f.text]));
      expected.set('stdout.txt', renderForStdout(out));
      if (UPDATE) {
        rmSync(dir, { recursive: true, force: true });
        for (const [p, text] of expected) {
          mkdirSync(dirname(join(dir, p)), { recursive: true });
          writeFileSync(join(dir, p), text);
        }
      }
      const actualPaths = listFiles(dir).map((p) => relative(dir, p)).sort();
      assert.deepEqual(actualPaths, [...expected.keys()].sort(), `files of ${pattern} differ from the golden folder; UPDATE_GOLDEN=1 to regenerate`);
      for (const [p, text] of expected) {
        assert.equal(text, readFileSync(join(dir, p), 'utf8'), `${pattern}/${p} differs from its golden file; UPDATE_GOLDEN=1 to regenerate`);
      }
    });
  }

  it('output is stable: building twice gives the same bytes', () => {
    for (const pattern of K8S_PATTERNS) {
      const a = buildK8s(pattern, OPTIONS).files.map((f) => f.text);
      const b = buildK8s(pattern, { ...OPTIONS }).files.map((f) => f.text);
      assert.deepEqual(a, b);
    }
  });
});

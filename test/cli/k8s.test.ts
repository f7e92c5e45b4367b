/** `godwit k8s` through the built binary: printing, --out folders, the config file's k8s section, bad input. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { runCli, tempDir } from '../helpers/cli.js';

test('k8s job prints the pre-phase Job; --out writes every pattern file; config section; exit 2 on bad input', async () => {
  let r = await runCli(['k8s', 'job', '--app', 'shop', '--image', 'registry.example/shop-migrations:1.4.2']);
  assert.equal(r.code, 0, r.stderr);
  const docs = parseAllDocuments(r.stdout).map((d) => d.toJS() as { kind?: string; metadata?: { name?: string } } | null).filter((d) => d);
  assert.deepEqual(docs.map((d) => [d!.kind, d!.metadata?.name]), [['Job', 'shop-migrate-pre-1-4-2']]);
  const cwd = tempDir({ 'godwit.config.yaml': 'k8s:\n  app: shop\n  image: registry.example/shop-migrations:2.0.0\n' });
  r = await runCli(['k8s', 'helm', '--out', 'chart'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(existsSync(join(cwd, 'chart/Chart.yaml')));
  const values = readFileSync(join(cwd, 'chart/values.yaml'), 'utf8');
  assert.match(values, /2\.0\.0/);
  r = await runCli(['k8s', 'job', '--app', 'Shop_Bad', '--image', 'x:1']);
  assert.equal(r.code, 2);
  r = await runCli(['k8s', 'job', '--app', 'shop', '--image', 'x:1', '--backof-limit', '3']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /backof-limit/);
  r = await runCli(['k8s', 'job', '--app', 'shop', '--image', 'x:1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { pattern: string; files: Array<{ path: string; text: string }> };
  assert.equal(doc.pattern, 'job');
  assert.ok(doc.files.some((f) => /kind: Job/.test(f.text)));
  r = await runCli(['k8s', 'nope', '--app', 'shop', '--image', 'x:1']);
  assert.equal(r.code, 2);
});

/**
 * No Docker engine runs here, so the Dockerfile is checked for the facts the manifests rely on:
 * the numeric non-root user the manifests pin, the `godwit` entrypoint, the bundle path, the
 * migrations folder, and that .dockerignore keeps what the build copies.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { buildK8s } from '../../src/k8s/build-k8s.js';
import { RUN_AS_USER } from '../../src/k8s/options.js';
import { BASE } from './helpers/option-sets.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');

/** Instructions with continuation lines joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

/** The stages: FROM ... AS name -> its instructions. */
function stages(): Map<string, { from: string; ins: { op: string; args: string }[] }> {
  const out = new Map<string, { from: string; ins: { op: string; args: string }[] }>();
  let current: { from: string; ins: { op: string; args: string }[] } | undefined;
  for (const i of instructions(dockerfile)) {
    if (i.op === 'FROM') {
      const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(i.args);
      assert.ok(m, `bad FROM ${i.args}`);
      current = { from: m[1]!, ins: [] };
      out.set(m[2] ?? `#${out.size}`, current);
    } else current?.ins.push(i);
  }
  return out;
}

describe('Dockerfile', () => {
  const s = stages();
  const last = [...s.entries()].at(-1)!;

  it('builds with npm ci, build and bundle in a separate stage', () => {
    const build = s.get('build');
    assert.ok(build, 'a build stage');
    const runs = build.ins.filter((i) => i.op === 'RUN').map((i) => i.args).join('\n');
    assert.match(runs, /npm ci/);
    assert.match(runs, /npm run build && npm run bundle/);
  });

  it('runs on a slim Node 20 image as the numeric user the manifests pin', () => {
    const runtime = s.get('runtime');
    assert.ok(runtime);
    assert.match(runtime.from, /^node:\$\{NODE_VERSION\}-bookworm-slim$/);
    assert.match(dockerfile, /^ARG NODE_VERSION=20$/m);
    const user = runtime.ins.filter((i) => i.op === 'USER').at(-1);
    assert.equal(user?.args, `${RUN_AS_USER}:${RUN_AS_USER}`);
    const job = parse(buildK8s('job', BASE).files[0]!.text);
    assert.equal(job.spec.template.spec.securityContext.runAsUser, RUN_AS_USER);
    assert.equal(job.spec.template.spec.securityContext.runAsGroup, RUN_AS_USER);
  });

  it('has ENTRYPOINT ["godwit"] wrapping the single-file bundle', () => {
    const runtime = s.get('runtime')!;
    assert.equal(runtime.ins.find((i) => i.op === 'ENTRYPOINT')?.args, '["godwit"]');
    assert.match(dockerfile, /COPY --from=build \/src\/dist\/bundle\/ \/app\//);
    assert.match(dockerfile, /exec node \/app\/godwit\.mjs "\$@"/);
    assert.match(dockerfile, /better_sqlite3\.node/);
  });

  it('bakes the migrations into /migrations, where GODWIT_DIR points, in the default target', () => {
    assert.equal(last[1].from, 'runtime');
    assert.ok(last[1].ins.some((i) => i.op === 'COPY' && i.args === '--from=migrations / /migrations/'));
    assert.match(dockerfile, /GODWIT_DIR=\/migrations/);
    assert.ok(s.get('migrations')?.from === 'scratch', 'a `migrations` stage a --build-context can replace');
  });

  it('.dockerignore keeps every path the build copies', () => {
    const ignored = dockerignore.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const copied = instructions(dockerfile)
      .filter((i) => i.op === 'COPY' && !i.args.startsWith('--from'))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    assert.ok(copied.includes('src/') && copied.includes('package.json'));
    for (const path of copied) {
      const top = path.replace(/\/$/, '').split('/')[0]!;
      assert.ok(!ignored.includes(top) && !ignored.includes(`${top}/`), `${path} is excluded by .dockerignore`);
    }
    for (const must of ['**/node_modules', 'dist', '.git']) assert.ok(ignored.includes(must), `.dockerignore must exclude ${must}`);
  });
});

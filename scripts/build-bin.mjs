#!/usr/bin/env node
// Part of `npm run build`: the `godwit` command as a few ES modules in dist/bin/ (godwit.mjs and
// its chunks), bundled from src/cli/main.ts by esbuild with code splitting.
//
// Why: `godwit up` runs at every pod start and usually has nothing to do. Node.js loads an ES
// module graph one import level at a time, reading each file through the thread pool; the ~60
// modules of the no-op path cost ~10 ms of waiting on top of compiling them (docs/performance.md).
// Bundled, the no-op path reads a handful of files. Code splitting keeps every dynamic import()
// (commands, dialects, lint, check, k8s) in its own chunk, so a run loads only what it uses and
// `godwit --version` still loads only the entry.
//
// Every npm package stays external (resolved from node_modules at run time, as with dist/cli/):
// drivers, libpg-query and its WebAssembly, tsx for .ts migrations, PGlite. The library entry
// (dist/index.js) is tsc's output and is not affected. The single-file image bundle is
// scripts/bundle.mjs.
import { chmodSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = join(root, 'dist/bin');
rmSync(outdir, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { godwit: 'src/cli/main.ts' },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunk-[hash]',
  outExtension: { '.js': '.mjs' },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(join(outdir, 'godwit.mjs'), 0o755);

#!/usr/bin/env node
// `npm run bundle`: the godwit CLI as ONE ES module, dist/bundle/godwit.mjs, for the migration
// image (see Dockerfile and docs/kubernetes.md, "The migration image").
//
// What dist/bundle/ holds and why:
//   godwit.mjs          src/cli/main.ts with every dependency it loads at run time: pg, mysql2,
//                       yaml, libpg-query's JavaScript, node-sql-parser (lint). All dynamic
//                       `import()`s (commands, dialects, drivers) are inlined: nothing is split.
//   libpg-query.wasm    the PostgreSQL parser. libpg-query's loader looks for it in the folder of
//                       the running script (`__dirname`, which the banner below defines as the
//                       bundle's folder), so it must sit beside godwit.mjs.
//   LICENSES.txt        the license notices of the bundled packages.
// What is NOT in it:
//   better-sqlite3      a native addon: kept external and resolved from node_modules/ next to the
//                       bundle (the image copies its lib/, build/Release/*.node, bindings and
//                       file-uri-to-path there).
//   @electric-sql/pglite  the embedded PostgreSQL (~27 MB of WebAssembly) serves only
//                       `godwit check`, which belongs in CI, not in the migration image. Imports of
//                       it are replaced by a module that loads the real package when it is
//                       installed beside the bundle (node_modules/@electric-sql/pglite) and
//                       otherwise fails with a message that says so.
//   tsx                 TypeScript code migrations need a transpiler (tsx, which needs esbuild's
//                       native binary). The bundle replaces it with a module that fails: `.ts`/
//                       `.mts` migrations are refused with a message naming the file and the fix
//                       (write them as `.mjs`/`.js`); `.js` and `.mjs` load with Node's import().
//
// Usage: node scripts/bundle.mjs [--outdir DIR] [--no-minify] [--entry FILE]
//   --entry bundles another entry point with the same settings (test/bundle uses it to exercise
//   the PGlite stub, which the CLI reaches only through `godwit check`).
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--outdir');
const outdir = outIdx >= 0 ? resolve(args[outIdx + 1]) : join(root, 'dist/bundle');
const minify = !args.includes('--no-minify');
const entryIdx = args.indexOf('--entry');
const entry = entryIdx >= 0 ? resolve(args[entryIdx + 1]) : join(root, 'src/cli/main.ts');
const require = createRequire(join(root, 'package.json'));

// The bundle is ESM, but bundled CommonJS packages call require() for Node built-ins and read
// __dirname/__filename (libpg-query finds its .wasm through __dirname). Define them once, under
// names esbuild leaves alone, from the bundle's own URL.
const banner = [
  "import { createRequire as __godwitCreateRequire } from 'node:module';",
  "import { dirname as __godwitDirname } from 'node:path';",
  "import { fileURLToPath as __godwitFileURLToPath } from 'node:url';",
  'const require = __godwitCreateRequire(import.meta.url);',
  'const __filename = __godwitFileURLToPath(import.meta.url);',
  'const __dirname = __godwitDirname(__filename);',
].join('\n');

// code-migration.ts wraps this message as `FILE: loading a TypeScript migration needs the "tsx"
// package, which could not be loaded (MESSAGE)`.
const TSX_STUB = `
export function register() {
  throw new Error(
    'the single-file godwit bundle (the migration image) has no TypeScript loader. Ship code ' +
      'migrations that run from the image as .mjs or .js (same up/down exports), deciding before the ' +
      'first deploy since the checksum is of the file as shipped, or run this folder with the godwit ' +
      'npm package (npx godwit), which loads .ts as it is',
  );
}
`;

// Loads the real PGlite when it is installed beside the bundle; otherwise explains. The specifier
// is computed so esbuild leaves it alone.
const PGLITE_STUB = `
const name = ['@electric-sql', 'pglite'].join('/');
let mod;
try {
  mod = await import(name);
} catch (e) {
  const why = e && e.message ? e.message.split('\\n')[0] : String(e);
  mod = new Proxy({}, {
    get(_t, key) {
      if (key === 'then') return undefined;
      throw new Error(
        'the embedded PostgreSQL (@electric-sql/pglite, used by "godwit check" and pglite: URLs) is ' +
          'not part of the single-file godwit bundle (' + why + '). Run "godwit check" in CI with ' +
          'the godwit npm package (npx godwit check), or install @electric-sql/pglite beside the bundle ' +
          '(npm install @electric-sql/pglite in its folder)',
      );
    },
  });
}
export const PGlite = mod.PGlite;
export default mod;
`;

/** Replace a package by generated source (see the header for why). */
function stub(filter, contents) {
  return {
    name: `stub:${filter.source}`,
    setup(b) {
      b.onResolve({ filter }, (a) => ({ path: a.path, namespace: 'godwit-stub' }));
      b.onLoad({ filter: /.*/, namespace: 'godwit-stub' }, (a) => (filter.test(a.path) ? { contents, loader: 'js', resolveDir: root } : undefined));
    },
  };
}

rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const outfile = join(outdir, 'godwit.mjs');

const result = await build({
  absWorkingDir: root,
  entryPoints: [entry],
  outfile,
  bundle: true,
  splitting: false,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // libpg-query's package.json has "module" (ESM) and "main" (CJS); Node itself loads "main", and
  // only its CJS build locates the .wasm through __dirname. Follow Node.
  mainFields: ['main'],
  external: ['better-sqlite3'],
  plugins: [stub(/^tsx\/esm\/api$/, TSX_STUB), stub(/^@electric-sql\/pglite$/, PGLITE_STUB)],
  banner: { js: banner },
  minify,
  keepNames: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  logOverride: { 'empty-import-meta': 'silent' },
});

// The PostgreSQL parser's WebAssembly, where libpg-query's loader looks for it.
const pgQueryMain = require.resolve('libpg-query');
copyFileSync(join(dirname(pgQueryMain), 'libpg-query.wasm'), join(outdir, 'libpg-query.wasm'));

// License notices of what was bundled (legalComments: 'none' drops them from the code).
const packages = new Map();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (!m) continue;
  const dir = join(root, input.slice(0, m.index + m[0].length));
  if (packages.has(m[1])) continue;
  packages.set(m[1], dir);
}
const notices = [`godwit.mjs bundles godwit (Apache-2.0) and these packages:\n`];
for (const [name, dir] of [...packages].sort(([a], [b]) => a.localeCompare(b))) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  notices.push(`\n==== ${name}@${pkg.version} (${pkg.license ?? 'see package'}) ====\n`);
  for (const f of ['LICENSE', 'LICENSE.md', 'LICENSE.txt', 'license', 'LICENCE']) {
    try {
      notices.push(readFileSync(join(dir, f), 'utf8'));
      break;
    } catch {
      // next name
    }
  }
}
writeFileSync(join(outdir, 'LICENSES.txt'), notices.join(''));

const kib = (p) => `${(statSync(p).size / 1024).toFixed(0)} KiB`;
process.stdout.write(
  `bundle: ${relative(root, outfile)} ${kib(outfile)}, libpg-query.wasm ${kib(join(outdir, 'libpg-query.wasm'))}; ` +
    `bundled ${packages.size} packages; external: better-sqlite3\n`,
);

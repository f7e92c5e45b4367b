#!/usr/bin/env node
/**
 * Godwit against the tools users would pick instead (issue 6).
 *
 *   node bench/run.mjs [--quick] [--engines pg,mysql,sqlite] [--tools godwit,dbmate,...]
 *                      [--only cold,apply,concurrent,statements,big] [--reps N] [--big-mb 200]
 *                      [--out DIR]   (exploratory: write results there, leave the committed ones)
 *
 * Interleaved: each repetition runs every tool once, the order rotating by one each repetition,
 * so machine noise hits all alike. Every measurement creates its own database and drops it.
 * Writes bench/RESULTS.md (and bench/results.json) and the table in docs/performance.md.
 */
import { mkdirSync, rmSync, writeFileSync, readFileSync, existsSync, statSync, openSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { measure, measureConcurrent, run } from './lib/proc.mjs';
import { createDb, dropDb, query, tables, pgLogFile, logOffset, logSince, pgLogEntries, PG, MY } from './lib/db.mjs';
import { TOOLS, BENCH, ROOT, url, toolEnv } from './lib/tools.mjs';
import { machine, renderResults, updatePerformanceDoc } from './lib/report.mjs';

// ---- options -----------------------------------------------------------------------------------

const argv = process.argv.slice(2);
const flag = (n) => argv.includes(`--${n}`);
const opt = (n, d) => {
  const i = argv.indexOf(`--${n}`);
  return i >= 0 ? argv[i + 1] : d;
};
const QUICK = flag('quick');
const ENGINES = opt('engines', QUICK ? 'pg' : 'pg,mysql,sqlite').split(',');
const QUICK_TOOLS = ['godwit', 'godwit-bundle', 'dbmate', 'knex', 'pg-script'];
const TOOL_IDS = opt('tools', QUICK ? QUICK_TOOLS.join(',') : TOOLS.map((t) => t.id).join(',')).split(',');
const ONLY = opt('only', 'cold,apply,concurrent,statements,big').split(',');
const REPS = Number(opt('reps', QUICK ? 2 : 5));
/** `--reps-engine mysql=3,sqlite=3` overrides --reps per engine (MariaDB's DDL is slow). */
const REPS_ENGINE = Object.fromEntries(opt('reps-engine', '').split(',').filter(Boolean).map((x) => x.split('=')).map(([k, v]) => [k, Number(v)]));
const repsFor = (engine) => REPS_ENGINE[engine] ?? REPS;
const COLD_REPS = Number(opt('cold-reps', QUICK ? 7 : 15));
const N_APPLY = Number(opt('n', 1000));
const N_CONC = 100;
const CONC = (opt('conc', QUICK ? '10' : '10,50')).split(',').map(Number);
const CONC_TOOLS = opt('conc-tools', QUICK ? 'godwit' : TOOL_IDS.filter((id) => id !== 'godwit-bundle').join(',')).split(',');
const BIG_MB = Number(opt('big-mb', 200));
const WORK = join(BENCH, 'work');
/** `--out DIR`: an exploratory run writes its results.json and RESULTS.md there and leaves the
 * committed bench/RESULTS.md, bench/results.json and docs/performance.md alone. */
const OUT = opt('out', BENCH);
const SCRATCH = OUT !== BENCH;
mkdirSync(OUT, { recursive: true });

const tools = TOOLS.filter((t) => TOOL_IDS.includes(t.id) && (!t.available || t.available()));
const log = (s) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);

if (flag('render-only')) {
  // Re-render RESULTS.md and docs/performance.md from bench/results.json (no measurement).
  const saved = JSON.parse(readFileSync(join(BENCH, 'results.json'), 'utf8'));
  writeFileSync(join(BENCH, 'RESULTS.md'), renderResults(saved));
  if (!flag('no-doc')) updatePerformanceDoc(join(ROOT, 'docs/performance.md'), saved);
  process.exit(0);
}

if (!existsSync(join(ROOT, 'dist/bin/godwit.mjs'))) {
  console.error('Build Godwit first: npm run build (bench runs dist/bin/godwit.mjs)');
  process.exit(2);
}
if (!existsSync(join(BENCH, 'node_modules/knex'))) {
  console.error('Install the peers first: cd bench && npm install');
  process.exit(2);
}

rmSync(WORK, { recursive: true, force: true });
mkdirSync(WORK, { recursive: true });

// ---- migration sets ----------------------------------------------------------------------------

const ddlSet = (n) => Array.from({ length: n }, (_, k) => ({ i: k + 1, name: `t_${String(k + 1).padStart(4, '0')}`, up: `CREATE TABLE t_${String(k + 1).padStart(4, '0')} (id int)`, down: `DROP TABLE t_${String(k + 1).padStart(4, '0')}` }));
const dataSet = (n) => Array.from({ length: n }, (_, k) => ({ i: k + 1, name: `d_${String(k + 1).padStart(4, '0')}`, up: `INSERT INTO bench_data (v) VALUES (${k + 1})`, down: `DELETE FROM bench_data WHERE v = ${k + 1}` }));

const setDirs = new Map();
/** The folder holding `set` in `tool`'s format for `engine` (written once). */
function prepared(tool, engine, setName, set) {
  const key = `${tool.id}/${engine}/${setName}`;
  if (!setDirs.has(key)) {
    const dir = join(WORK, 'sets', tool.id, engine, setName);
    tool.write(dir, set, engine);
    setDirs.set(key, dir);
  }
  return setDirs.get(key);
}

function allStatementsFile(engine, setName, set) {
  const f = join(WORK, `all-${engine}-${setName}.sql`);
  if (!existsSync(f)) writeFileSync(f, set.map((m) => `${m.up};\n`).join(''));
  return f;
}

/** The command line of an engine's own client running a file (one commit per statement). */
function clientFloor(db, file) {
  if (db.engine === 'pg') return ['psql', '-q', '-X', '-v', 'ON_ERROR_STOP=1', '-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-d', db.name, '-f', file];
  if (db.engine === 'mysql') return ['mariadb', '-h', MY.host, '-P', String(MY.port), '-u', MY.user, db.name, '-e', `source ${file}`];
  return ['sqlite3', db.file, `.read ${file}`];
}
const CLIENT_LABEL = { pg: 'floor: `psql -f` (all statements)', mysql: 'floor: `mariadb <` (all statements)', sqlite: 'floor: `sqlite3 .read` (all statements)' };

// ---- helpers -----------------------------------------------------------------------------------

const rotate = (arr, k) => arr.map((_, i) => arr[(i + k) % arr.length]);
const results = { startedAt: new Date().toISOString(), quick: QUICK, options: { ENGINES, TOOL_IDS, REPS, REPS_ENGINE, COLD_REPS, N_APPLY, N_CONC, CONC, BIG_MB }, machine: await machine(), versions: {}, cold: {}, apply: {}, concurrent: [], concurrentFloors: [], statements: {}, big: [], failures: [] };
for (const t of tools) results.versions[t.id] = t.version();

function sample(bucket, key, r) {
  bucket[key] ??= { ms: [], rssKb: [], fails: [] };
  if (r.code === 0) {
    bucket[key].ms.push(r.ms);
    bucket[key].rssKb.push(r.rssKb);
  } else {
    bucket[key].fails.push({ code: r.code, signal: r.signal, err: firstError(r) });
  }
}

function firstError(r) {
  const lines = `${r.stderr}\n${r.stdout}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return (lines.find((l) => /error|fail|exception/i.test(l)) ?? lines[lines.length - 1] ?? '').slice(0, 300);
}

function errorLines(rs) {
  const counts = new Map();
  for (const r of rs) {
    const seen = new Set();
    for (const raw of `${r.stderr}\n${r.stdout}`.split('\n')) {
      const l = raw.trim();
      if (!/error|fail|exception|duplicate|deadlock|already exists|unhandled|ECONN|too many|lock/i.test(l)) continue;
      const norm = l.replace(/\d+/g, 'N').replace(/gwbench_\w+/g, 'DB').slice(0, 200);
      if (seen.has(norm)) continue;
      seen.add(norm);
      counts.set(norm, (counts.get(norm) ?? 0) + 1);
    }
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([line, n]) => ({ line, processes: n }));
}

async function countTables(db) {
  return (await tables(db)).filter((t) => /(^|\.)t_\d{4}$/.test(t)).length;
}

async function tool(t, action, ctx, extra = {}) {
  return measure(t.cmd[action](ctx), { env: toolEnv(ctx.db), cwd: WORK, ...extra });
}

// ---- 1. cold start -----------------------------------------------------------------------------

async function coldStart() {
  const entries = [{ id: 'node', argv: [process.execPath, '-e', '0'] }, ...tools.filter((t) => t.cmd.version).map((t) => ({ id: t.id, argv: t.cmd.version() }))];
  log(`cold start: ${entries.map((e) => e.id).join(', ')} x ${COLD_REPS}`);
  for (let rep = 0; rep < COLD_REPS; rep++) {
    for (const e of rotate(entries, rep)) sample(results.cold, e.id, await measure(e.argv, { cwd: WORK }));
  }
}

// ---- 2. apply N, no-op up, status, wait --------------------------------------------------------

async function applyEtc(engine) {
  const set = ddlSet(N_APPLY);
  const b = (results.apply[engine] = { apply: {}, noop: {}, status: {}, wait: {}, node: {}, verify: {} });
  const entries = [...tools.filter((t) => t.engines.includes(engine)).map((t) => ({ id: t.id, t })), { id: 'client', client: true }, { id: 'node' }];
  const reps = repsFor(engine);
  b.reps = reps;
  log(`${engine}: apply ${N_APPLY} / no-op / status / wait: ${entries.map((e) => e.id).join(', ')} x ${reps}`);
  for (let rep = 0; rep < reps; rep++) {
    for (const e of rotate(entries, rep)) {
      if (e.id === 'node') {
        for (let k = 0; k < 3; k++) sample(b.node, 'node', await measure([process.execPath, '-e', '0']));
        continue;
      }
      const db = await createDb(engine, `apply_${e.id}`);
      try {
        if (e.client) {
          const r = await measure(clientFloor(db, allStatementsFile(engine, `ddl${N_APPLY}`, set)), { cwd: WORK });
          sample(b.apply, 'client', r);
          continue;
        }
        const dir = prepared(e.t, engine, `ddl${N_APPLY}`, set);
        const ctx = { db, dir, engine };
        const r = await tool(e.t, 'up', ctx);
        sample(b.apply, e.id, r);
        const n = await countTables(db);
        b.verify[e.id] = n;
        if (r.code !== 0 || n !== N_APPLY) {
          results.failures.push({ engine, what: `apply ${N_APPLY}`, tool: e.id, code: r.code, tables: n, err: firstError(r) });
          log(`  ${e.id}: apply exit ${r.code}, ${n} tables: ${firstError(r)}`);
          continue;
        }
        for (let k = 0; k < 3; k++) sample(b.noop, e.id, await tool(e.t, 'up', ctx));
        if (e.t.cmd.status) sample(b.status, e.id, await tool(e.t, 'status', ctx));
        if (e.t.cmd.wait) sample(b.wait, e.id, await tool(e.t, 'wait', ctx));
      } finally {
        await dropDb(db);
      }
    }
    log(`  rep ${rep + 1}/${reps} done`);
  }
}

// ---- 3. concurrent up --------------------------------------------------------------------------

/**
 * What N processes starting at once cost on this machine whatever the lock does: N x `node -e 0`,
 * and N x Godwit's no-op `up` on a database where everything is applied (each starts Node.js,
 * loads the driver, reads the folder and the history). The "single run + 1 s" target sits below
 * these floors when N is large on 2 cores.
 */
async function concurrentFloors(engine) {
  const g = tools.find((t) => t.id === 'godwit');
  if (!g) return;
  const dir = prepared(g, engine, `ddl${N_CONC}`, ddlSet(N_CONC));
  for (const n of CONC) {
    if (!results.concurrentFloors.some((f) => f.tool === 'node' && f.n === n)) {
      const c = await measureConcurrent(Array.from({ length: n }, () => [process.execPath, '-e', '0']), { cwd: WORK });
      results.concurrentFloors.push({ engine: null, n, tool: 'node', ms: c.ms, exit0: c.results.filter((r) => r.code === 0).length });
      log(`floor: ${n} x node -e 0 at once: ${Math.round(c.ms)} ms`);
    }
    await withDb(engine, 'floor_godwit', 'ddl', async (db) => {
      const ctx = { db, dir, engine };
      await tool(g, 'up', ctx);
      const c = await measureConcurrent(Array.from({ length: n }, () => g.cmd.up(ctx)), { env: toolEnv(db), cwd: WORK });
      results.concurrentFloors.push({ engine, n, tool: 'godwit-noop', ms: c.ms, exit0: c.results.filter((r) => r.code === 0).length });
      log(`floor: ${engine} ${n} x godwit no-op up at once: ${Math.round(c.ms)} ms`);
    });
  }
}

async function concurrent(engine) {
  await concurrentFloors(engine);
  const list = tools.filter((t) => t.engines.includes(engine) && CONC_TOOLS.includes(t.id) && !t.floor);
  for (const kind of ['ddl', 'data']) {
    const set = kind === 'ddl' ? ddlSet(N_CONC) : dataSet(N_CONC);
    for (const n of CONC) {
      for (const t of list) {
        const dir = prepared(t, engine, `${kind}${N_CONC}`, set);
        // The single-run time of the same set, for the "single + 1 s" target.
        const single = await withDb(engine, `single_${t.id}`, kind, async (db) => tool(t, 'up', { db, dir, engine }));
        const logFile = engine === 'pg' ? pgLogFile() : undefined;
        const row = await withDb(engine, `conc_${t.id}`, kind, async (db) => {
          const offset = logOffset(logFile);
          const ctx = { db, dir, engine };
          const c = await measureConcurrent(Array.from({ length: n }, () => t.cmd.up(ctx)), { env: toolEnv(db), cwd: WORK });
          const serverErrors = logFile ? pgLogEntries(logSince(logFile, offset), db.name).errors : undefined;
          let once;
          let detail;
          if (kind === 'ddl') {
            const k = await countTables(db);
            once = k === N_CONC;
            detail = `${k} tables`;
          } else {
            const rows = await query(db, 'SELECT v, COUNT(*) AS c FROM bench_data GROUP BY v');
            const total = rows.reduce((s, r) => s + Number(r.c), 0);
            once = rows.length === N_CONC && rows.every((r) => Number(r.c) === 1);
            detail = `${rows.length} of ${N_CONC} applied, ${total} rows`;
          }
          const codes = {};
          for (const r of c.results) codes[r.code ?? r.signal] = (codes[r.code ?? r.signal] ?? 0) + 1;
          return {
            engine, kind, n, tool: t.id, ms: c.ms, singleMs: single.code === 0 ? single.ms : NaN,
            exit0: c.results.filter((r) => r.code === 0).length, codes, once, detail,
            maxRssKb: Math.max(...c.results.map((r) => r.rssKb || 0)),
            errors: errorLines(c.results), serverErrors: serverErrors && summarize(serverErrors),
          };
        });
        results.concurrent.push(row);
        log(`${engine} ${kind} x${n} ${t.id}: ${row.exit0}/${n} exit 0, exactly once: ${row.once} (${row.detail}), ${Math.round(row.ms)} ms${row.serverErrors ? `, server errors ${row.serverErrors.total}` : ''}`);
      }
    }
  }
}

function summarize(errors) {
  const counts = new Map();
  for (const e of errors) {
    const k = e.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 160);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return { total: errors.length, kinds: [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([line, n]) => ({ line, n })) };
}

async function withDb(engine, label, kind, fn, opts) {
  const db = await createDb(engine, label, opts);
  try {
    if (kind === 'data') await query(db, 'CREATE TABLE bench_data (v int)');
    return await fn(db);
  } finally {
    await dropDb(db);
  }
}

// ---- 4. statements sent (PostgreSQL, log_statement = all on the bench database) ---------------

async function statements() {
  const logFile = pgLogFile();
  if (!logFile) {
    log('statements: the PostgreSQL server log is not readable (set BENCH_PG_LOG); skipped');
    results.statements.skipped = 'server log not readable';
    return;
  }
  const set = ddlSet(N_CONC);
  for (const t of tools.filter((x) => x.engines.includes('pg'))) {
    const dir = prepared(t, 'pg', `ddl${N_CONC}`, set);
    await withDb('pg', `stmts_${t.id}`, 'ddl', async (db) => {
      const ctx = { db, dir, engine: 'pg' };
      let off = logOffset(logFile);
      const a = await tool(t, 'up', ctx);
      await new Promise((r) => setTimeout(r, 300));
      const apply = pgLogEntries(logSince(logFile, off), db.name);
      off = logOffset(logFile);
      const b = await tool(t, 'up', ctx);
      await new Promise((r) => setTimeout(r, 300));
      const noop = pgLogEntries(logSince(logFile, off), db.name);
      results.statements[t.id] = { apply: apply.statements.length, applyErrors: apply.errors.length, noop: noop.statements.length, noopErrors: noop.errors.length, noopSample: noop.statements.slice(0, 12).map((s) => s.slice(0, 140)), ok: a.code === 0 && b.code === 0 };
      log(`statements ${t.id}: apply ${N_CONC} -> ${apply.statements.length}, no-op -> ${noop.statements.length}`);
    }, { logStatements: true });
  }
  await withDb('pg', 'stmts_psql', 'ddl', async (db) => {
    const off = logOffset(logFile);
    await measure(clientFloor(db, allStatementsFile('pg', `ddl${N_CONC}`, set)));
    await new Promise((r) => setTimeout(r, 300));
    results.statements.client = { apply: pgLogEntries(logSince(logFile, off), db.name).statements.length, noop: null };
  }, { logStatements: true });
}

// ---- 5. a 200 MB migration ---------------------------------------------------------------------

function bigStatements(mb) {
  // 100-row INSERTs of ~100-byte rows: ~10 kB statements, ~20,000 of them for 200 MB.
  const target = mb * 1024 * 1024;
  const chunks = [];
  let size = 0;
  let id = 0;
  return {
    *[Symbol.iterator]() {
      while (size < target) {
        const rows = [];
        for (let k = 0; k < 100; k++) {
          id++;
          rows.push(`(${id}, 'row ${id} ${'x'.repeat(70)}', ${id % 1000})`);
        }
        const s = `INSERT INTO big_rows (id, label, grp) VALUES\n${rows.join(',\n')};\n`;
        size += Buffer.byteLength(s);
        yield s;
      }
    },
    get rows() {
      return id;
    },
    chunks,
  };
}

async function big() {
  const bigTools = tools.filter((t) => ['godwit', 'dbmate', 'node-pg-migrate', 'postgrator', 'pg-script'].includes(t.id));
  const create = 'CREATE TABLE big_rows (id bigint PRIMARY KEY, label text NOT NULL, grp int NOT NULL)';
  const drop = 'DROP TABLE big_rows';
  // Write the body once, then wrap it in each tool's format (header + body).
  const body = join(WORK, 'big-body.sql');
  const gen = bigStatements(BIG_MB);
  const fd = openSync(body, 'w');
  for (const s of gen) writeSync(fd, s);
  closeSync(fd);
  const rows = gen.rows;
  const bodyText = readFileSync(body);
  log(`big: ${(statSync(body).size / 1048576).toFixed(0)} MB, ${rows} rows; tools ${bigTools.map((t) => t.id).join(', ')}, client`);
  const entries = [...bigTools.map((t) => ({ id: t.id, t })), { id: 'client' }];
  for (const e of entries) {
    await withDb('pg', `big_${e.id}`, 'ddl', async (db) => {
      await query(db, create);
      let r;
      if (e.t) {
        const dir = join(WORK, 'sets', e.id, 'pg', 'big');
        // One migration; its body is the big file. Write through the tool's own format with a
        // marker statement, then swap the marker for the body.
        e.t.write(dir, [{ i: 1, name: 'big', up: 'SELECT 424242', down: drop }], 'pg');
        const { readdirSync } = await import('node:fs');
        for (const f of readdirSync(dir)) {
          const p = join(dir, f);
          if (!f.endsWith('.sql') || !readFileSync(p, 'utf8').includes('SELECT 424242')) continue;
          const [head, tail] = readFileSync(p, 'utf8').split('SELECT 424242;');
          const out = openSync(p, 'w');
          writeSync(out, head);
          writeSync(out, bodyText);
          writeSync(out, tail ?? '');
          closeSync(out);
        }
        r = await tool(e.t, 'up', { db, dir, engine: 'pg' }, { timeoutMs: 900_000 });
        rmSync(dir, { recursive: true, force: true });
      } else {
        r = await measure(clientFloor(db, body), { timeoutMs: 900_000 });
      }
      const n = Number((await query(db, 'SELECT COUNT(*) AS n FROM big_rows'))[0].n);
      results.big.push({ tool: e.id, ms: r.ms, rssKb: r.rssKb, code: r.code, rows: n, expected: rows, err: r.code === 0 ? '' : firstError(r) });
      log(`big ${e.id}: exit ${r.code}, ${Math.round(r.ms)} ms, ${Math.round(r.rssKb / 1024)} MB peak RSS, ${n}/${rows} rows`);
    });
  }
  rmSync(body, { force: true });
}

// ---- main --------------------------------------------------------------------------------------

const t0 = Date.now();
/** results.json after every section, so a long run can be watched (and survives a crash). */
const save = () => writeFileSync(join(OUT, 'results.json'), JSON.stringify({ ...results, durationS: Math.round((Date.now() - t0) / 1000) }, null, 1));
try {
  if (ONLY.includes('cold')) await coldStart();
  save();
  for (const engine of ENGINES) if (ONLY.includes('apply')) (await applyEtc(engine), save());
  if (ONLY.includes('statements') && ENGINES.includes('pg')) await statements();
  save();
  for (const engine of ENGINES) if (ONLY.includes('concurrent')) (await concurrent(engine), save());
  if (ONLY.includes('big') && ENGINES.includes('pg') && !QUICK) await big();
} finally {
  results.durationS = Math.round((Date.now() - t0) / 1000);
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 1));
  const md = renderResults(results);
  writeFileSync(join(OUT, 'RESULTS.md'), md);
  if (!flag('no-doc') && !SCRATCH) updatePerformanceDoc(join(ROOT, 'docs/performance.md'), results);
  rmSync(WORK, { recursive: true, force: true });
  log(`done in ${results.durationS}s: ${join(OUT, 'RESULTS.md')}`);
}

/**
 * RESULTS.md and the table in docs/performance.md, from the results object run.mjs collects.
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { cpus, totalmem, release } from 'node:os';
import { run } from './proc.mjs';
import { PG, MY } from './db.mjs';

export async function machine() {
  const v = async (argv) => (await run(argv, { allowFail: true }).catch(() => ({ stdout: '?' }))).stdout.trim().split('\n')[0];
  return {
    cpu: `${cpus()[0]?.model ?? '?'} x ${cpus().length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    postgres: await v(['psql', '-h', PG.host, '-p', String(PG.port), '-U', PG.user, '-Atc', 'SHOW server_version', 'postgres']),
    mariadb: await v(['mariadb', '-h', MY.host, '-P', String(MY.port), '-u', MY.user, '-N', '-e', 'SELECT VERSION()']),
    sqlite: await v(['sqlite3', '--version']),
  };
}

const TOOL_LABEL = {
  node: 'floor: `node -e 0`',
  godwit: '**Godwit**',
  'godwit-bundle': '**Godwit bundle** (image)',
  dbmate: 'dbmate (Go binary)',
  'node-pg-migrate': 'node-pg-migrate',
  knex: 'knex',
  umzug: 'umzug + pg / mysql2',
  kysely: 'kysely Migrator',
  postgrator: 'postgrator',
  'drizzle-kit': 'drizzle-kit',
  'db-migrate': 'db-migrate',
  'pg-script': 'floor: 30-line `pg` script',
};
const CLIENT_LABEL = { pg: 'floor: `psql -f` (one commit per statement)', mysql: 'floor: `mariadb` client (one commit per statement)', sqlite: 'floor: `sqlite3 .read` (one commit per statement)' };
const ENGINE_LABEL = { pg: 'PostgreSQL', mysql: 'MariaDB', sqlite: 'SQLite' };

export function median(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function ms(x) {
  if (!Number.isFinite(x)) return '-';
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`;
}

/** "median (min-max)" of a sample bucket, or why there is none. */
function cell(b) {
  if (!b) return '-';
  if (!b.ms.length) return b.fails.length ? `fails (exit ${b.fails[0].code ?? b.fails[0].signal})` : '-';
  const lo = Math.min(...b.ms);
  const hi = Math.max(...b.ms);
  const f = `${ms(median(b.ms))} (${ms(lo).replace(/ (ms|s)$/, '')}–${ms(hi)})`;
  return b.fails.length ? `${f}, ${b.fails.length} failed` : f;
}

const med = (b) => (b && b.ms.length ? median(b.ms) : NaN);
const mb = (b) => (b && b.rssKb.length ? `${Math.round(median(b.rssKb) / 1024)} MB` : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');

function coldTable(r) {
  const ids = Object.keys(r.cold);
  const node = med(r.cold.node);
  const rows = ids.sort((a, b) => med(r.cold[a]) - med(r.cold[b])).map((id) => `| ${TOOL_LABEL[id] ?? id} | ${cell(r.cold[id])} | ${ratio(med(r.cold[id]), node)} | ${mb(r.cold[id])} |`);
  return [`| tool | \`--version\` median (min–max) | x \`node -e 0\` | peak RSS |`, `|---|---:|---:|---:|`, ...rows].join('\n');
}

function applyTable(r, engine) {
  const a = r.apply[engine];
  if (!a) return '';
  const node = med(a.node.node);
  const client = med(a.apply.client);
  const ids = Object.keys(a.apply).filter((id) => id !== 'client');
  ids.sort((x, y) => (med(a.noop[x]) || Infinity) - (med(a.noop[y]) || Infinity));
  const lines = [
    `| tool | apply ${r.options.N_APPLY} | x client floor | no-op \`up\`, ${r.options.N_APPLY} applied | x \`node -e 0\` | \`status\` | \`wait\` | peak RSS (apply / no-op) |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|`,
    `| floor: \`node -e 0\` | | | ${cell(a.node.node)} | 1.00x | | | ${mb(a.node.node)} |`,
    `| ${CLIENT_LABEL[engine]} | ${cell(a.apply.client)} | 1.00x | | | | | ${mb(a.apply.client)} |`,
  ];
  for (const id of ids) {
    lines.push(`| ${TOOL_LABEL[id] ?? id} | ${cell(a.apply[id])} | ${ratio(med(a.apply[id]), client)} | ${cell(a.noop[id])} | ${ratio(med(a.noop[id]), node)} | ${cell(a.status[id])} | ${cell(a.wait[id])} | ${mb(a.apply[id])} / ${mb(a.noop[id])} |`);
  }
  return lines.join('\n');
}

function concTable(r) {
  if (!r.concurrent.length) return '';
  const lines = [
    `| engine | migrations | processes | tool | exit 0 | exit codes | each applied exactly once | all done after | single run | server ERROR lines | error lines printed (processes) |`,
    `|---|---|---:|---|---:|---|---|---:|---:|---:|---|`,
  ];
  for (const c of r.concurrent) {
    const errs = c.errors.slice(0, 3).map((e) => `\`${e.line.replace(/\|/g, '\\|').replace(/`/g, "'").slice(0, 110)}\` (${e.processes})`).join('<br>') || 'none';
    const codes = Object.entries(c.codes).map(([k, v]) => `${k}: ${v}`).join(', ');
    lines.push(`| ${ENGINE_LABEL[c.engine]} | ${c.kind === 'ddl' ? 'CREATE TABLE' : 'INSERT'} | ${c.n} | ${TOOL_LABEL[c.tool] ?? c.tool} | ${c.exit0}/${c.n} | ${codes} | ${c.once ? 'yes' : `**no** (${c.detail})`} | ${ms(c.ms)} | ${ms(c.singleMs)} | ${c.serverErrors ? c.serverErrors.total : 'n/a'} | ${errs} |`);
  }
  return lines.join('\n');
}

/** `; floors: N x node -e 0 = …, N x no-op up = …` for a concurrent row (see bench/run.mjs concurrentFloors). */
function floorNote(r, engine, n) {
  const f = r.concurrentFloors ?? [];
  const node = f.find((x) => x.tool === 'node' && x.n === n);
  const noop = f.find((x) => x.tool === 'godwit-noop' && x.engine === engine && x.n === n);
  const parts = [];
  if (node) parts.push(`${n} x \`node -e 0\` ${ms(node.ms)}`);
  if (noop) parts.push(`${n} x no-op \`up\` ${ms(noop.ms)}`);
  return parts.length ? ` (floors on this machine: ${parts.join(', ')})` : '';
}

function floorTable(r) {
  const f = r.concurrentFloors ?? [];
  if (!f.length) return '';
  const lines = [`| processes started at once | what each runs | all done after |`, `|---:|---|---:|`];
  for (const x of f) lines.push(`| ${x.n} | ${x.tool === 'node' ? '`node -e 0`' : `Godwit no-op \`up\`, ${ENGINE_LABEL[x.engine]} (everything applied)`} | ${ms(x.ms)}${x.exit0 === x.n ? '' : ` (${x.exit0}/${x.n} exit 0)`} |`);
  return lines.join('\n');
}

function stmtTable(r) {
  const s = r.statements;
  if (!s || s.skipped || !Object.keys(s).length) return s?.skipped ? `Skipped: ${s.skipped}.` : '';
  const lines = [`| tool | statements to apply ${r.options.N_CONC} | statements for a no-op \`up\` | server ERRORs (apply / no-op) |`, `|---|---:|---:|---:|`];
  for (const [id, v] of Object.entries(s)) {
    if (id === 'client') lines.push(`| ${CLIENT_LABEL.pg} | ${v.apply} | - | |`);
    else lines.push(`| ${TOOL_LABEL[id] ?? id} | ${v.ok ? v.apply : `${v.apply} (failed)`} | ${v.noop} | ${v.applyErrors} / ${v.noopErrors} |`);
  }
  return lines.join('\n');
}

function bigTable(r) {
  if (!r.big.length) return '';
  const lines = [`| tool | time | peak RSS | rows |`, `|---|---:|---:|---|`];
  for (const b of r.big) {
    const label = b.tool === 'client' ? '`psql -f`' : (TOOL_LABEL[b.tool] ?? b.tool);
    lines.push(`| ${label} | ${b.code === 0 ? ms(b.ms) : `fails (exit ${b.code})`} | ${Math.round(b.rssKb / 1024)} MB | ${b.rows} of ${b.expected}${b.err ? ` — ${b.err.replace(/\|/g, '\\|').slice(0, 100)}` : ''} |`);
  }
  return lines.join('\n');
}

/** Godwit against the issue's targets, from this run. */
export function targets(r) {
  const out = [];
  const check = (name, ok, detail) => out.push(`| ${name} | ${ok === undefined ? 'n/a' : ok ? 'met' : '**missed**'} | ${detail} |`);
  const ids = ['godwit', 'godwit-bundle'];
  const tag = (id) => (id === 'godwit' ? '' : ' [bundle]');
  const coldNode = med(r.cold.node);
  for (const id of ids) {
    const coldG = med(r.cold[id]);
    if (Number.isFinite(coldG)) check(`\`--version\` <= 1.2x \`node -e 0\`${tag(id)}`, coldG <= 1.2 * coldNode, `${ms(coldG)} vs ${ms(coldNode)}: ${ratio(coldG, coldNode)}`);
  }
  for (const [engine, a] of Object.entries(r.apply)) {
    const node = med(a.node.node);
    const E = ENGINE_LABEL[engine];
    for (const id of ids) {
      const noop = med(a.noop[id]);
      const wait = med(a.wait[id]);
      if (Number.isFinite(noop)) check(`${E}: no-op \`up\` <= 1.3x \`node -e 0\`${tag(id)}`, noop <= 1.3 * node, `${ms(noop)} vs ${ms(node)}: ${ratio(noop, node)}`);
      if (Number.isFinite(wait)) check(`${E}: \`wait\` <= 1.3x \`node -e 0\`${tag(id)}`, wait <= 1.3 * node, `${ms(wait)} vs ${ms(node)}: ${ratio(wait, node)}`);
      const nodePeers = Object.keys(a.noop).filter((x) => !['godwit', 'godwit-bundle', 'dbmate', 'pg-script'].includes(x));
      if (Number.isFinite(noop) && nodePeers.length) {
        const fastest = Math.min(...nodePeers.map((x) => med(a.noop[x])).filter(Number.isFinite));
        check(`${E}: no-op \`up\` >= 2x faster than every Node.js peer${tag(id)}`, fastest >= 2 * noop, `fastest Node.js peer ${ms(fastest)}: ${ratio(fastest, noop)} Godwit`);
      }
      const ap = med(a.apply[id]);
      const client = med(a.apply.client);
      if (Number.isFinite(ap)) {
        check(`${E}: apply ${r.options.N_APPLY} <= 1.3x client floor${tag(id)}`, ap <= 1.3 * client, `${ms(ap)} vs ${ms(client)}: ${ratio(ap, client)}`);
        const peers = Object.keys(a.apply).filter((x) => !['godwit', 'godwit-bundle', 'client', 'pg-script'].includes(x));
        const best = peers.map((x) => [x, med(a.apply[x])]).filter(([, v]) => Number.isFinite(v)).sort((x, y) => x[1] - y[1])[0];
        if (best) check(`${E}: apply ${r.options.N_APPLY} faster than every peer${tag(id)}`, ap < best[1], `${ms(ap)}; fastest peer ${best[0]} ${ms(best[1])}`);
      }
    }
  }
  for (const c of r.concurrent.filter((x) => x.tool === 'godwit')) {
    const ok = c.exit0 === c.n && c.once && (!c.serverErrors || c.serverErrors.total === 0);
    check(`${ENGINE_LABEL[c.engine]}: ${c.n} concurrent \`up\`, ${c.kind === 'ddl' ? 'CREATE TABLE' : 'INSERT'}: all exit 0, exactly once, no server error`, ok, `${c.exit0}/${c.n} exit 0, exactly once: ${c.once ? 'yes' : 'no'}, server ERROR lines: ${c.serverErrors ? c.serverErrors.total : 'n/a'}`);
    check(`${ENGINE_LABEL[c.engine]}: ${c.n} concurrent (${c.kind}) total <= single + 1 s`, c.ms <= c.singleMs + 1000, `${ms(c.ms)} vs single ${ms(c.singleMs)}${floorNote(r, c.engine, c.n)}`);
  }
  const big = r.big.find((b) => b.tool === 'godwit');
  if (big) check(`peak RSS applying ${r.options.BIG_MB} MB < 256 MB`, big.code === 0 && big.rssKb < 256 * 1024, `${Math.round(big.rssKb / 1024)} MB${big.code ? `, exit ${big.code}` : ''}, ${ms(big.ms)}`);
  return [`| target | result | figures |`, `|---|---|---|`, ...out].join('\n');
}

export function renderResults(r) {
  const m = r.machine;
  const versions = Object.entries(r.versions).map(([k, v]) => `${k} ${v}`).join(', ');
  const parts = [
    `# Benchmark results`,
    ``,
    `Generated by \`npm run bench${r.quick ? ' -- --quick' : ''}\` on ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${r.durationS}s (${r.quick ? 'quick mode' : 'full mode'}). Medians of interleaved repetitions with (min–max); times are wall clock from spawn to exit, peak RSS is the process's maxrss.`,
    ``,
    `- Machine: ${m.cpu}, ${m.memoryGiB} GiB, Linux ${m.kernel}, Node.js ${m.node}`,
    `- Servers on loopback: PostgreSQL ${m.postgres}, MariaDB ${m.mariadb}, SQLite ${m.sqlite.split(' ')[0]}`,
    `- Versions: ${versions}`,
    `- Repetitions: ${Object.entries(r.apply).map(([e, a]) => `${a.reps ?? r.options.REPS} on ${ENGINE_LABEL[e]}`).join(', ') || r.options.REPS} for apply/no-op/status/wait (no-op \`up\` sampled 3 times per repetition), ${r.options.COLD_REPS} for cold start`,
    ``,
    `## Godwit against the targets (issue 6)`,
    ``,
    targets(r),
    ``,
    `## Cold start`,
    ``,
    coldTable(r),
    ``,
  ];
  for (const engine of Object.keys(r.apply)) {
    parts.push(`## ${ENGINE_LABEL[engine]}: apply ${r.options.N_APPLY} trivial migrations (\`CREATE TABLE\`), then no-op \`up\`, \`status\`, \`wait\``, ``, applyTable(r, engine), ``);
  }
  if (r.concurrent.length) {
    parts.push(`## Concurrent \`up\` on an empty database, ${r.options.N_CONC} migrations`, ``, `All processes are held at a barrier and released at the same instant. "exactly once": every CREATE TABLE exists (DDL), or every INSERT's row is there exactly once (data; the table has no unique key, so a double run shows). Server ERROR lines are counted in the PostgreSQL log for that database.`, ``, concTable(r), ``);
  }
  if (r.concurrentFloors?.length) {
    parts.push(`## Floors for the concurrent runs: N processes starting at once`, ``, `What starting N processes at the same instant costs on this machine whatever any lock does. With 50 processes on 2 cores this alone exceeds "single run + 1 s".`, ``, floorTable(r), ``);
  }
  if (Object.keys(r.statements).length) {
    parts.push(`## SQL statements sent to PostgreSQL`, ``, `Counted in the server log with \`ALTER DATABASE <bench db> SET log_statement = 'all'\` (one entry per simple-protocol query or extended-protocol execute; a multi-statement simple query counts once). Apply ${r.options.N_CONC} CREATE TABLE migrations to an empty database, then a no-op \`up\`.`, ``, stmtTable(r), ``);
  }
  if (r.big.length) parts.push(`## A ${r.options.BIG_MB} MB migration file (PostgreSQL)`, ``, `One migration of ~10 kB multi-row INSERT statements.`, ``, bigTable(r), ``);
  if (r.failures.length) {
    parts.push(`## Failures`, ``, ...r.failures.map((f) => `- ${ENGINE_LABEL[f.engine] ?? f.engine} ${f.what}, ${f.tool}: exit ${f.code}, ${f.tables} tables: \`${String(f.err).replace(/`/g, "'")}\``), ``);
  }
  return parts.join('\n');
}

/** One line per engine and tool: exit 0 and exactly-once for each concurrency case. */
function concSummary(r) {
  if (!r.concurrent.length) return '';
  const cases = [];
  for (const c of r.concurrent) if (!cases.some((x) => x.kind === c.kind && x.n === c.n)) cases.push({ kind: c.kind, n: c.n });
  const head = cases.map((c) => `${c.kind === 'ddl' ? 'CREATE TABLE' : 'INSERT'} x${c.n}`);
  const lines = [`| engine | tool | ${head.join(' | ')} |`, `|---|---|${head.map(() => '---').join('|')}|`];
  const keys = [];
  for (const c of r.concurrent) if (!keys.some((k) => k.engine === c.engine && k.tool === c.tool)) keys.push({ engine: c.engine, tool: c.tool });
  for (const k of keys) {
    const cells = cases.map((cs) => {
      const c = r.concurrent.find((x) => x.engine === k.engine && x.tool === k.tool && x.kind === cs.kind && x.n === cs.n);
      if (!c) return '-';
      const dup = c.once ? '' : c.kind === 'data' ? `, **${c.detail.replace(/.*, /, '')} for ${r.options.N_CONC}**` : `, **${c.detail}**`;
      return `${c.exit0}/${c.n} exit 0${dup}, ${ms(c.ms)}`;
    });
    lines.push(`| ${ENGINE_LABEL[k.engine]} | ${TOOL_LABEL[k.tool] ?? k.tool} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

const BEGIN = '<!-- bench:begin -->';
const END = '<!-- bench:end -->';

/** Replace the generated block of docs/performance.md with this run's targets and main tables. */
export function updatePerformanceDoc(file, r) {
  if (!existsSync(file)) return;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(BEGIN);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return;
  const m = r.machine;
  const block = [
    BEGIN,
    `_Latest run: ${r.startedAt.slice(0, 10)}, ${r.quick ? 'quick' : 'full'} mode, ${m.cpu}, Node.js ${m.node}, PostgreSQL ${m.postgres}, MariaDB ${m.mariadb}. Full tables: [bench/RESULTS.md](../bench/RESULTS.md)._`,
    ``,
    targets(r),
    ``,
    `**Cold start**`,
    ``,
    coldTable(r),
    ``,
    ...Object.keys(r.apply).flatMap((e) => [`**${ENGINE_LABEL[e]}: apply ${r.options.N_APPLY}, then no-op \`up\`, \`status\`, \`wait\` with ${r.options.N_APPLY} applied**`, ``, applyTable(r, e), ``]),
    ...(r.concurrent.length ? [`**Concurrent \`up\` on an empty database (${r.options.N_CONC} migrations): processes exiting 0, double execution, time until the last exits** (error lines and server ERRORs: RESULTS.md)`, ``, concSummary(r), ``] : []),
    ...(r.concurrentFloors?.length ? [`**Floors: N processes started at once on this machine** (whatever the lock does)`, ``, floorTable(r), ``] : []),
    ...(Object.keys(r.statements).length ? [`**Statements sent to PostgreSQL** (server log, \`log_statement = 'all'\`)`, ``, stmtTable(r), ``] : []),
    ...(r.big.length ? [`**A ${r.options.BIG_MB} MB migration file (PostgreSQL)**`, ``, bigTable(r), ``] : []),
    END,
  ].join('\n');
  writeFileSync(file, text.slice(0, a) + block + text.slice(b + END.length));
}

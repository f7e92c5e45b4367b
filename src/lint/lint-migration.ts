/**
 * The lint engine. `lintMigrations(inputs, options)` analyses every migration's statements with its
 * dialect's parser, runs the rules, applies the rule configuration and the in-file suppressions,
 * and returns the findings sorted by file and line. Pure apart from loading the parsers; never
 * touches a database, the console or the environment.
 *
 * Order matters: pass the folder's migrations in version order (earlier migrations provide the
 * facts: which tables exist, known column types). Throws `ConfigError` for bad options.
 */
import { causesImplicitCommit } from '../sql/implicit-commit.js';
import { loadAnalyser, type StatementAnalyser } from './analyse-statement.js';
import { FactsTimeline } from './facts-timeline.js';
import type { LintInput, LintStatementInput } from './lint-input.js';
import { resolveLintOptions, type LintOptions, type RuleSetting } from './lint-options.js';
import { ENGINE_RULE_METAS, LINT_RULES, ruleMetas } from './registry.js';
import type { AnalysedStatement, Diagnostic, LintDialect, RuleContext, RuleMeta, Severity } from './rule.js';
import { unusedSuppressionMeta } from './rules/gw904-unused-suppression.js';
import { suppressionsOf, targetOf, type Suppression } from './suppression.js';

export interface SuppressedDiagnostic {
  readonly diagnostic: Diagnostic;
  /** The reason written in the `lint-ignore` comment. */
  readonly reason: string;
  /** Where the `lint-ignore` comment is. */
  readonly suppressionFile: string;
  readonly suppressionLine: number;
}

export interface LintResult {
  /** Findings that remain, sorted by file, line, column, code. */
  readonly diagnostics: readonly Diagnostic[];
  /** Findings silenced by a `lint-ignore` with a reason (shown by json and sarif output). */
  readonly suppressed: readonly SuppressedDiagnostic[];
  /** Migrations reported on (inputs without `contextOnly`). */
  readonly migrations: number;
  readonly errors: number;
  readonly warnings: number;
}

/** Suppressions never apply to findings about suppressions. */
const UNSUPPRESSIBLE = new Set(['GW902', 'GW903', 'GW904']);
const EXCERPT_MAX = 160;

interface Analysed {
  readonly input: LintInput;
  readonly up: AnalysedStatement[];
  readonly down: AnalysedStatement[];
}

export async function lintMigrations(inputs: readonly LintInput[], options: LintOptions = {}): Promise<LintResult> {
  const opts = resolveLintOptions(options);
  const analysers = new Map<LintDialect, StatementAnalyser>();
  for (const input of inputs) {
    if (!analysers.has(input.dialect) && hasSql(input)) analysers.set(input.dialect, await loadAnalyser(input.dialect));
  }

  // 1. Analyse in input order and record facts.
  const facts = new FactsTimeline();
  const analysed: Analysed[] = [];
  let pos = 0;
  for (const input of inputs) {
    facts.beginMigration(pos, opts.defaultLockTimeout);
    const analyser = analysers.get(input.dialect);
    const place = (section: 'up' | 'down', list: readonly LintStatementInput[] | undefined): AnalysedStatement[] =>
      (list ?? []).map((s, index) => analyse(analyser, input, section, s, index, pos++));
    const up = place('up', input.statements);
    for (const s of up) facts.record(s);
    const down = place('down', input.downStatements);
    analysed.push({ input, up, down });
  }

  // 2. Run the rules, 3. apply settings and suppressions.
  const folderHasDowns = opts.folderHasDowns ?? inputs.some((i) => i.hasDown);
  const knownCodes = new Set(ruleMetas().map((m) => m.code));
  const kept: Diagnostic[] = [];
  const suppressed: SuppressedDiagnostic[] = [];
  let migrations = 0;
  for (const a of analysed) {
    if (a.input.contextOnly) continue;
    migrations++;
    const statementOf = new WeakMap<Diagnostic, AnalysedStatement>();
    const found: Diagnostic[] = [];
    for (const rule of LINT_RULES) {
      const setting = settingOf(opts.settings, rule.meta);
      if (setting === 'off' || !rule.meta.dialects.includes(a.input.dialect)) continue;
      const ctx = contextFor(rule.meta, setting, a, facts, folderHasDowns, opts.defaultLockTimeout, knownCodes, statementOf);
      found.push(...rule.check(ctx));
    }
    const sups = suppressionsOf(a.input).filter((s) => s.codes.length > 0 && s.reason !== '');
    const used = new Set<string>();
    const all = [...a.up, ...a.down];
    for (const d of found) {
      const s = UNSUPPRESSIBLE.has(d.code) ? undefined : matchSuppression(d, statementOf.get(d), sups, all);
      if (s) {
        used.add(`${s.line}\u0000${s.file}\u0000${d.code}`);
        suppressed.push({ diagnostic: d, reason: s.reason, suppressionFile: s.file, suppressionLine: s.line });
      } else kept.push(d);
    }
    kept.push(...unusedSuppressions(sups, used, a.input, opts.settings));
  }

  kept.sort(compareDiagnostics);
  suppressed.sort((x, y) => compareDiagnostics(x.diagnostic, y.diagnostic));
  const errors = kept.filter((d) => d.severity === 'error').length;
  return { diagnostics: kept, suppressed, migrations, errors, warnings: kept.length - errors };
}

function hasSql(input: LintInput): boolean {
  return input.statements.length > 0 || (input.downStatements?.length ?? 0) > 0;
}

function settingOf(settings: ReadonlyMap<string, RuleSetting>, meta: RuleMeta): RuleSetting {
  return settings.get(meta.code) ?? meta.severity;
}

function analyse(
  analyser: StatementAnalyser | undefined,
  input: LintInput,
  section: 'up' | 'down',
  s: LintStatementInput,
  index: number,
  pos: number,
): AnalysedStatement {
  const a = analyser ? analyser(s.sql) : { status: 'skipped' as const, ops: [] };
  return {
    section,
    index,
    sql: s.sql,
    file: s.file ?? input.file,
    line: s.line,
    pos,
    status: a.status,
    ...(a.parseProblem !== undefined ? { parseProblem: a.parseProblem } : {}),
    ops: a.ops,
    ...(a.algorithm !== undefined ? { algorithm: a.algorithm } : {}),
    implicitCommit: input.dialect === 'mysql' && causesImplicitCommit(s.sql),
  };
}

function contextFor(
  meta: RuleMeta,
  severity: Severity,
  a: Analysed,
  facts: FactsTimeline,
  folderHasDowns: boolean,
  defaultLockTimeout: boolean,
  knownCodes: ReadonlySet<string>,
  statementOf: WeakMap<Diagnostic, AnalysedStatement>,
): RuleContext {
  const base = { code: meta.code, rule: meta.name, severity, why: meta.why, fix: meta.fix };
  return {
    migration: a.input,
    statements: a.up,
    downStatements: a.down,
    folderHasDowns,
    defaultLockTimeout,
    knownCodes,
    facts,
    report(stmt, message, at) {
      const { line, column } = placeIn(stmt, at);
      const d: Diagnostic = { ...base, message, file: stmt.file, line, ...(column !== undefined ? { column } : {}), statementExcerpt: excerptOf(stmt.sql, at) };
      statementOf.set(d, stmt);
      return d;
    },
    reportMigration(message, where = {}) {
      const first = a.up[0];
      return {
        ...base,
        message,
        file: where.file ?? a.input.file,
        line: where.line ?? first?.line ?? 1,
        statementExcerpt: where.excerpt !== undefined ? excerptOf(where.excerpt) : '',
      };
    },
  };
}

/** File line (and column when it is not the statement's first line) of offset `at`. */
export function placeIn(stmt: { readonly sql: string; readonly line: number }, at: number | undefined): { line: number; column?: number } {
  if (at === undefined || at <= 0) return { line: stmt.line };
  const before = stmt.sql.slice(0, at);
  let newlines = 0;
  for (let i = 0; i < before.length; i++) if (before.charCodeAt(i) === 10) newlines++;
  if (newlines === 0) return { line: stmt.line };
  return { line: stmt.line + newlines, column: at - before.lastIndexOf('\n') };
}

/** The statement on one line, shortened around offset `at` when too long. */
export function excerptOf(sql: string, at?: number): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  if (one.length <= EXCERPT_MAX) return one;
  if (at === undefined) return `${one.slice(0, EXCERPT_MAX - 1)}…`;
  const mid = sql.slice(0, at).replace(/\s+/g, ' ').trimStart().length;
  const start = Math.max(0, Math.min(mid - 40, one.length - (EXCERPT_MAX - 2)));
  const end = Math.min(one.length, start + EXCERPT_MAX - 2);
  return `${start > 0 ? '…' : ''}${one.slice(start, end)}${end < one.length ? '…' : ''}`;
}

function matchSuppression(
  d: Diagnostic,
  stmt: AnalysedStatement | undefined,
  sups: readonly Suppression[],
  statements: readonly AnalysedStatement[],
): Suppression | undefined {
  for (const s of sups) {
    if (!s.codes.includes(d.code)) continue;
    if (!stmt) return s;
    if (targetOf(s, statements) === stmt) return s;
  }
  return undefined;
}

function unusedSuppressions(
  sups: readonly Suppression[],
  used: ReadonlySet<string>,
  input: LintInput,
  settings: ReadonlyMap<string, RuleSetting>,
): Diagnostic[] {
  const meta = unusedSuppressionMeta;
  const severity = settingOf(settings, meta);
  if (severity === 'off') return [];
  const known = new Map(ruleMetas().map((m) => [m.code, m]));
  const out: Diagnostic[] = [];
  for (const s of sups) {
    for (const code of s.codes) {
      const target = known.get(code);
      if (!target || ENGINE_RULE_METAS.includes(target) || UNSUPPRESSIBLE.has(code)) continue;
      if (settingOf(settings, target) === 'off' || !target.dialects.includes(input.dialect)) continue;
      if (used.has(`${s.line}\u0000${s.file}\u0000${code}`)) continue;
      out.push({
        code: meta.code,
        rule: meta.name,
        severity,
        message: `"lint-ignore ${code}" on line ${s.line} matches no ${code} finding in the statement after it.`,
        file: s.file,
        line: s.line,
        statementExcerpt: excerptOf(`-- godwit:lint-ignore ${s.raw}`),
        why: meta.why,
        fix: meta.fix,
      });
    }
  }
  return out;
}

export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  if (a.file !== b.file) return a.file < b.file ? -1 : 1;
  if (a.line !== b.line) return a.line - b.line;
  const ca = a.column ?? 0;
  const cb = b.column ?? 0;
  if (ca !== cb) return ca - cb;
  return a.code.localeCompare(b.code);
}

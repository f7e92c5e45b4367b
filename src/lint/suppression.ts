/**
 * In-file suppressions: `-- godwit:lint-ignore CODE[,CODE...] reason`.
 *
 * Scope (documented in docs/lint.md): a suppression applies to ONE statement: the statement whose
 * text contains the comment line, else the first statement that starts after it in the same file
 * (up or down part). Findings about the whole migration (no down part, empty migration, several
 * DDL statements on MySQL) are suppressed by a matching `lint-ignore` anywhere in the migration.
 * The reason is required: a suppression without one suppresses nothing and is itself a finding.
 */
import type { LintInput } from './lint-input.js';
import type { AnalysedStatement } from './rule.js';

export interface Suppression {
  readonly file: string;
  readonly line: number;
  /** Codes as written, upper-cased. */
  readonly codes: readonly string[];
  readonly reason: string;
  /** The directive's text after `lint-ignore`, for messages. */
  readonly raw: string;
}

export const LINT_IGNORE = 'lint-ignore';
const CODE_RE = /^GW\d+$/i;

/** The `lint-ignore` directives of a migration, parsed; malformed ones have no codes or no reason. */
export function suppressionsOf(input: LintInput): Suppression[] {
  const out: Suppression[] = [];
  for (const d of input.directives) {
    if (d.name !== LINT_IGNORE && d.name !== `godwit:${LINT_IGNORE}`) continue;
    const args = d.args.trim();
    const m = /^(\S+)\s*(.*)$/s.exec(args);
    const first = m?.[1] ?? '';
    const codes = first
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter((c) => c !== '');
    const valid = codes.length > 0 && codes.every((c) => CODE_RE.test(c));
    out.push({
      file: d.file ?? input.file,
      line: d.line,
      codes: valid ? codes : [],
      reason: valid ? (m?.[2] ?? '').trim() : '',
      raw: args,
    });
  }
  return out;
}

/** Last line of a statement in its file. */
export function endLine(stmt: AnalysedStatement): number {
  let n = 0;
  for (let i = 0; i < stmt.sql.length; i++) if (stmt.sql.charCodeAt(i) === 10) n++;
  return stmt.line + n;
}

/** The statement a suppression applies to, or undefined when none follows it in its file. */
export function targetOf(s: Suppression, statements: readonly AnalysedStatement[]): AnalysedStatement | undefined {
  let next: AnalysedStatement | undefined;
  for (const st of statements) {
    if (st.file !== s.file) continue;
    if (st.line <= s.line && s.line <= endLine(st)) return st;
    if (st.line > s.line && (!next || st.line < next.line)) next = st;
  }
  return next;
}

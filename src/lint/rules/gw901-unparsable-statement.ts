import type { Diagnostic, LintRule } from '../rule.js';

/** GW901: a statement (or part of one) the dialect's parser could not read, so no rule checked it. */
export const unparsableStatement: LintRule = {
  meta: {
    code: 'GW901',
    name: 'unparsable-statement',
    severity: 'warning',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'The linter could not parse this statement, so none of the rules checked it.',
    fix: 'Check the statement by hand (and its syntax: on PostgreSQL the real parser rejected it); suppress with a reason once reviewed.',
  },
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const stmt of [...ctx.statements, ...ctx.downStatements]) {
      if (stmt.status !== 'unparsable' && stmt.status !== 'partial') continue;
      const part = stmt.status === 'partial' ? 'Part of this statement was not analysed' : 'Could not analyse this statement';
      out.push(ctx.report(stmt, `${part}: ${stmt.parseProblem ?? 'the parser gave up'}.`));
    }
    return out;
  },
};

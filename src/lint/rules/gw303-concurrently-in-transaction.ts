import type { AnalysedStatement, Diagnostic, LintRule, RuleContext } from '../rule.js';

function concurrentWhat(stmt: AnalysedStatement): { what: string; at?: number } | undefined {
  for (const op of stmt.ops) {
    if (op.kind === 'create-index' && op.concurrent) return { what: 'CREATE INDEX CONCURRENTLY', ...(op.at !== undefined ? { at: op.at } : {}) };
    if (op.kind === 'drop-index' && op.concurrent) return { what: 'DROP INDEX CONCURRENTLY', ...(op.at !== undefined ? { at: op.at } : {}) };
    if (op.kind === 'other-concurrent') return { what: op.what, ...(op.at !== undefined ? { at: op.at } : {}) };
  }
  return undefined;
}

/** GW303: a CONCURRENTLY operation in a migration that runs inside a transaction (up or down). */
export const concurrentlyInTransaction: LintRule = {
  meta: {
    code: 'GW303',
    name: 'concurrently-in-transaction',
    severity: 'error',
    dialects: ['postgres'],
    why: 'PostgreSQL refuses CONCURRENTLY inside a transaction block, so the migration fails every time.',
    fix: 'Add `-- godwit:no-transaction` to the migration (and keep the concurrent statement alone in it).',
  },
  check(ctx: RuleContext) {
    if (!ctx.migration.transaction) return [];
    const out: Diagnostic[] = [];
    for (const stmt of [...ctx.statements, ...ctx.downStatements]) {
      const c = concurrentWhat(stmt);
      if (c) out.push(ctx.report(stmt, `${c.what} cannot run inside the transaction this migration runs in.`, c.at));
    }
    return out;
  },
};

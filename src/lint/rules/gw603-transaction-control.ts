import { opsOf, type Diagnostic, type LintRule } from '../rule.js';

/** GW603: BEGIN / COMMIT / ROLLBACK written inside a migration (up or down). */
export const transactionControl: LintRule = {
  meta: {
    code: 'GW603',
    name: 'transaction-control',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'Godwit runs each migration in its own transaction and records it in the same one; a COMMIT or BEGIN inside breaks that, so a failure leaves it half applied and unrecorded.',
    fix: 'Remove the transaction statements; use `-- godwit:no-transaction` if the migration must run outside a transaction.',
  },
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const section of [ctx.statements, ctx.downStatements]) {
      for (const { stmt, op } of opsOf(section, 'transaction-control')) {
        out.push(ctx.report(stmt, `${op.action} inside a migration: Godwit manages the migration's transaction itself.`, op.at));
      }
    }
    return out;
  },
};

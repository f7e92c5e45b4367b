import { tableName } from '../operation.js';
import { existing, opsOf, type Diagnostic, type LintRule } from '../rule.js';

/** GW308: VACUUM FULL or CLUSTER in a migration. */
export const vacuumFullOrCluster: LintRule = {
  meta: {
    code: 'GW308',
    name: 'vacuum-full-or-cluster',
    severity: 'error',
    dialects: ['postgres'],
    why: 'VACUUM FULL and CLUSTER rewrite the table under an ACCESS EXCLUSIVE lock: it is unreadable until they finish.',
    fix: 'Run maintenance outside migrations, with an online tool such as pg_repack, or plain VACUUM.',
  },
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const kind of ['vacuum-full', 'cluster'] as const) {
      for (const { stmt, op } of opsOf(ctx.statements, kind)) {
        if (op.table && !existing(ctx, op.table, stmt)) continue;
        const what = kind === 'vacuum-full' ? 'VACUUM FULL' : 'CLUSTER';
        const on = op.table ? ` ${tableName(op.table)}` : ' (every table)';
        out.push(ctx.report(stmt, `${what}${on} rewrites the table while blocking reads and writes.`, op.at));
      }
    }
    return out;
  },
};

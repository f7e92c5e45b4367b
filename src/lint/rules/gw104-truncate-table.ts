import { tableName } from '../operation.js';
import { destructiveNote, existing, opsOf, type LintRule } from '../rule.js';

/** GW104: TRUNCATE, or DELETE without WHERE, on a table that existed before this migration. */
export const truncateTable: LintRule = {
  meta: {
    code: 'GW104',
    name: 'truncate-table',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'TRUNCATE (or DELETE without WHERE) removes every row of a table that may hold production data.',
    fix: 'Delete only the rows you mean with a WHERE clause, or acknowledge with `-- godwit:lint-ignore GW104 <reason>`.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'truncate')) {
      if (!existing(ctx, op.table, stmt)) continue;
      const what = op.via === 'truncate' ? 'Truncates' : 'Deletes every row of (DELETE without WHERE)';
      out.push(ctx.report(stmt, `${what} table ${tableName(op.table)}.${destructiveNote(ctx)}`, op.at));
    }
    return out;
  },
};

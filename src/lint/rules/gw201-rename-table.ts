import { tableName } from '../operation.js';
import { existing, MOVE_TO_POST, opsOf, type LintRule } from '../rule.js';

/** GW201: renaming a table the old app version uses, in a pre migration. */
export const renameTable: LintRule = {
  meta: {
    code: 'GW201',
    name: 'rename-table',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'The old app version, still running during a rolling update, queries the table by its old name and fails.',
    fix: 'Create the new table (or a view with the new name), make the app use it, and drop the old name in a post migration.',
  },
  check(ctx) {
    if (ctx.migration.phase !== 'pre') return [];
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'rename-table')) {
      if (!existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Renames table ${tableName(op.table)} to ${op.to.name}. ${MOVE_TO_POST}`, op.at));
    }
    return out;
  },
};

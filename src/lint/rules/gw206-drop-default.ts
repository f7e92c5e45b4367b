import { tableName } from '../operation.js';
import { existing, MOVE_TO_POST, opsOf, type LintRule } from '../rule.js';

/** GW206: DROP DEFAULT on an existing column in a pre migration. */
export const dropDefault: LintRule = {
  meta: {
    code: 'GW206',
    name: 'drop-default',
    severity: 'error',
    dialects: ['postgres', 'mysql'],
    why: 'The old app version may rely on the default when it omits the column; its rows then get NULL or its INSERTs fail.',
    fix: 'Drop the default in a post migration, once no running app version omits the column.',
  },
  check(ctx) {
    if (ctx.migration.phase !== 'pre') return [];
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'drop-default')) {
      if (!existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Drops the default of ${tableName(op.table)}.${op.column}. ${MOVE_TO_POST}`, op.at));
    }
    return out;
  },
};

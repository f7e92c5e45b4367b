import { tableName } from '../operation.js';
import { destructiveNote, existing, opsOf, type LintRule } from '../rule.js';

/** GW103: DROP COLUMN on a table that existed before this migration. */
export const dropColumn: LintRule = {
  meta: {
    code: 'GW103',
    name: 'drop-column',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'Dropping a column deletes its data permanently, and an app version that still reads or writes it fails.',
    fix: 'Deploy an app version that no longer uses the column, then drop it in a post migration with `-- godwit:lint-ignore GW103 <reason>`.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'drop-column')) {
      if (!existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Drops column ${tableName(op.table)}.${op.column} and its data.${destructiveNote(ctx)}`, op.at));
    }
    return out;
  },
};

import { tableKey } from '../facts-timeline.js';
import { tableName } from '../operation.js';
import { destructiveNote, existing, opsOf, type AnalysedStatement, type LintRule, type RuleContext } from '../rule.js';
import type { TableRef } from '../operation.js';

/**
 * A table rebuild (SQLite's way to change a column, also used elsewhere): the same migration later
 * renames another table to the dropped table's name, so the data lives on in the new table.
 */
function rebuilt(ctx: RuleContext, table: TableRef, stmt: AnalysedStatement): boolean {
  const key = tableKey(table);
  for (const { stmt: s, op } of opsOf(ctx.statements, 'rename-table')) {
    if (s.index > stmt.index && tableKey(op.to) === key) return true;
  }
  return false;
}

/** GW102: DROP TABLE on a table that existed before this migration. */
export const dropTable: LintRule = {
  meta: {
    code: 'GW102',
    name: 'drop-table',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'Dropping a table deletes its data permanently, and any app version still reading it fails.',
    fix: 'Stop using the table first, drop it in a post migration, and acknowledge with `-- godwit:lint-ignore GW102 <reason>`.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'drop-table')) {
      if (!existing(ctx, op.table, stmt) || rebuilt(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Drops table ${tableName(op.table)} and all its rows.${destructiveNote(ctx)}`, op.at));
    }
    return out;
  },
};

import { tableName } from '../operation.js';
import { existing, MOVE_TO_POST, opsOf, type LintRule } from '../rule.js';

/** GW202: renaming a column the old app version uses, in a pre migration (MySQL CHANGE included). */
export const renameColumn: LintRule = {
  meta: {
    code: 'GW202',
    name: 'rename-column',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'The old app version, still running during a rolling update, reads and writes the column by its old name and fails.',
    fix: 'Add the new column, write both and backfill, switch reads, then drop the old column in a post migration.',
  },
  check(ctx) {
    if (ctx.migration.phase !== 'pre') return [];
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'rename-column')) {
      if (!existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Renames column ${tableName(op.table)}.${op.from} to ${op.to}. ${MOVE_TO_POST}`, op.at));
    }
    for (const { stmt, op } of opsOf(ctx.statements, 'redefine-column')) {
      if (!existing(ctx, op.table, stmt) || op.spec.name.toLowerCase() === op.column.toLowerCase()) continue;
      out.push(ctx.report(stmt, `CHANGE renames column ${tableName(op.table)}.${op.column} to ${op.spec.name}. ${MOVE_TO_POST}`, op.at));
    }
    return out;
  },
};

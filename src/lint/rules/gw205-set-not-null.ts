import { tableName } from '../operation.js';
import { existing, MOVE_TO_POST, opsOf, type LintRule } from '../rule.js';

/** GW205: making an existing column NOT NULL in a pre migration (MySQL: a MODIFY to NOT NULL of a known nullable column). */
export const setNotNull: LintRule = {
  meta: {
    code: 'GW205',
    name: 'set-not-null',
    severity: 'error',
    dialects: ['postgres', 'mysql'],
    why: 'The old app version may still write NULL into the column (or omit it), and those writes start failing.',
    fix: 'Deploy an app version that always sets the column, then add NOT NULL in a post migration.',
  },
  check(ctx) {
    if (ctx.migration.phase !== 'pre') return [];
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'set-not-null')) {
      if (!existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Makes ${tableName(op.table)}.${op.column} NOT NULL. ${MOVE_TO_POST}`, op.at));
    }
    for (const { stmt, op } of opsOf(ctx.statements, 'redefine-column')) {
      if (!op.spec.notNull || !existing(ctx, op.table, stmt)) continue;
      const old = ctx.facts.column(op.table, op.column, stmt);
      if (!old || old.notNull) continue;
      out.push(ctx.report(stmt, `Makes ${tableName(op.table)}.${op.column} NOT NULL (it was nullable). ${MOVE_TO_POST}`, op.at));
    }
    return out;
  },
};

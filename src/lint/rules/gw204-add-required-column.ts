import { tableName } from '../operation.js';
import { existing, MOVE_TO_POST, opsOf, type LintRule } from '../rule.js';

/** GW204: ADD COLUMN ... NOT NULL without a DEFAULT on an existing table, in a pre migration. */
export const addRequiredColumn: LintRule = {
  meta: {
    code: 'GW204',
    name: 'add-required-column',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'The old app version does not know the column, so its INSERTs omit it and fail on the NOT NULL.',
    fix: 'Add the column nullable or with a DEFAULT; make it NOT NULL in a post migration once every writer sets it.',
  },
  check(ctx) {
    if (ctx.migration.phase !== 'pre') return [];
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'add-column')) {
      const c = op.column;
      if (!c.notNull || c.hasDefault || c.autoFilled || !existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Adds ${tableName(op.table)}.${c.name} as NOT NULL without a DEFAULT. ${MOVE_TO_POST}`, op.at));
    }
    return out;
  },
};

import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';
import { changeIsInPlace } from '../type-compat.js';

/**
 * GW306: ALTER COLUMN TYPE that rewrites the table. Not reported when earlier statements of the
 * input show the old type and the change is binary-coercible (varchar(50) -> varchar(100) or text).
 */
export const rewritingTypeChange: LintRule = {
  meta: {
    code: 'GW306',
    name: 'rewriting-type-change',
    severity: 'error',
    dialects: ['postgres'],
    why: 'Changing a column type rewrites the table and rebuilds its indexes under an ACCESS EXCLUSIVE lock: no reads or writes meanwhile.',
    fix: 'Add a column with the new type, backfill it in batches, switch the app, then drop the old column.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'alter-column-type')) {
      if (!existing(ctx, op.table, stmt)) continue;
      const old = ctx.facts.column(op.table, op.column, stmt)?.type;
      if (old && !op.using && changeIsInPlace(old, op.type, 'postgres')) continue;
      const detail = op.using ? ' (USING always rewrites)' : old ? ` (from ${old.text})` : ' (unless the change is binary-coercible, e.g. a longer varchar)';
      out.push(ctx.report(stmt, `Changing ${tableName(op.table)}.${op.column} to ${op.type.text} rewrites the table${detail}.`, op.at));
    }
    return out;
  },
};

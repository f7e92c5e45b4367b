import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';

/** GW307: ADD COLUMN whose value must be computed per row (volatile default, serial, identity, stored generated). */
export const volatileDefault: LintRule = {
  meta: {
    code: 'GW307',
    name: 'volatile-default',
    severity: 'error',
    dialects: ['postgres'],
    why: 'A volatile default (random(), gen_random_uuid(), clock_timestamp(), nextval) makes ADD COLUMN rewrite the whole table under an ACCESS EXCLUSIVE lock.',
    fix: 'Add the column without a default (or with a constant or now()), set the default separately, then backfill existing rows in batches.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'add-column')) {
      const reason = op.column.rewriteReason;
      if (!reason || !existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `Adding ${tableName(op.table)}.${op.column.name} with ${reason} rewrites the existing table.`, op.at));
    }
    return out;
  },
};

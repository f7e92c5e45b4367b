import { tableName } from '../operation.js';
import { existing, MOVE_TO_POST, opsOf, type LintRule } from '../rule.js';
import { isSafeWidening } from '../type-compat.js';

/**
 * GW203: changing a column's type in a pre migration. Not reported when earlier statements of the
 * input show the old type and the new one only widens it (varchar(50) -> varchar(100)).
 */
export const changeColumnType: LintRule = {
  meta: {
    code: 'GW203',
    name: 'change-column-type',
    severity: 'error',
    dialects: ['postgres', 'mysql'],
    why: 'The old app version, still running during a rolling update, reads and writes the column with its old type.',
    fix: 'Add a column with the new type, write both and backfill, switch reads, then drop the old column in a post migration.',
  },
  check(ctx) {
    if (ctx.migration.phase !== 'pre') return [];
    const out = [];
    const dialect = ctx.migration.dialect;
    for (const { stmt, op } of opsOf(ctx.statements, 'alter-column-type')) {
      if (!existing(ctx, op.table, stmt)) continue;
      const old = ctx.facts.column(op.table, op.column, stmt)?.type;
      if (old && !op.using && isSafeWidening(old, op.type, dialect)) continue;
      const from = old ? ` from ${old.text}` : '';
      out.push(ctx.report(stmt, `Changes the type of ${tableName(op.table)}.${op.column}${from} to ${op.type.text}. ${MOVE_TO_POST}`, op.at));
    }
    for (const { stmt, op } of opsOf(ctx.statements, 'redefine-column')) {
      if (!existing(ctx, op.table, stmt) || !op.spec.type) continue;
      const old = ctx.facts.column(op.table, op.column, stmt)?.type;
      if (old && isSafeWidening(old, op.spec.type, dialect)) continue;
      const msg = old
        ? `Changes the type of ${tableName(op.table)}.${op.column} from ${old.text} to ${op.spec.type.text}.`
        : `Redefines ${tableName(op.table)}.${op.column} as ${op.spec.type.text}; its current type is not known from the migrations linted, so this may change it.`;
      out.push(ctx.report(stmt, `${msg} ${MOVE_TO_POST}`, op.at));
    }
    return out;
  },
};

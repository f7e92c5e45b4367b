import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';

/** GW502: NOT NULL imposed on a table that may already hold NULLs (or rows without the new column). */
export const notNullOnExistingData: LintRule = {
  meta: {
    code: 'GW502',
    name: 'not-null-on-existing-data',
    severity: 'warning',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'Existing rows may hold NULLs (or get none for a new column); then the migration fails in production although it passed on an empty database.',
    fix: 'Backfill the NULLs in an earlier migration, or give a new column a DEFAULT.',
  },
  check(ctx) {
    const out = [];
    const dialect = ctx.migration.dialect;
    for (const { stmt, op } of opsOf(ctx.statements, 'set-not-null')) {
      if (!existing(ctx, op.table, stmt) || ctx.facts.hasValidatedNotNullCheck(op.table, op.column, stmt)) continue;
      out.push(ctx.report(stmt, `Fails if ${tableName(op.table)}.${op.column} holds NULLs today.`, op.at));
    }
    if (dialect !== 'mysql') {
      for (const { stmt, op } of opsOf(ctx.statements, 'add-column')) {
        const c = op.column;
        if (!c.notNull || c.hasDefault || c.autoFilled || !existing(ctx, op.table, stmt)) continue;
        const msg =
          dialect === 'sqlite'
            ? `SQLite refuses to add ${tableName(op.table)}.${c.name} as NOT NULL without a DEFAULT.`
            : `Adding ${tableName(op.table)}.${c.name} as NOT NULL without a DEFAULT fails if the table has any row.`;
        out.push(ctx.report(stmt, msg, op.at));
      }
    }
    for (const { stmt, op } of opsOf(ctx.statements, 'redefine-column')) {
      if (!op.spec.notNull || !existing(ctx, op.table, stmt)) continue;
      const old = ctx.facts.column(op.table, op.column, stmt);
      if (!old || old.notNull) continue;
      out.push(ctx.report(stmt, `Making ${tableName(op.table)}.${op.column} NOT NULL fails (strict mode) or silently turns NULLs into zero values if it holds NULLs today.`, op.at));
    }
    return out;
  },
};

import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';

/** GW305: SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) first. */
export const setNotNullWithoutCheck: LintRule = {
  meta: {
    code: 'GW305',
    name: 'set-not-null-without-check',
    severity: 'error',
    dialects: ['postgres'],
    why: 'SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock, unless a validated CHECK (col IS NOT NULL) already proves it (PostgreSQL 12+).',
    fix: 'ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE CONSTRAINT it, then SET NOT NULL and drop the check.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'set-not-null')) {
      if (!existing(ctx, op.table, stmt) || ctx.facts.hasValidatedNotNullCheck(op.table, op.column, stmt)) continue;
      out.push(ctx.report(stmt, `Setting ${tableName(op.table)}.${op.column} NOT NULL scans the table under an ACCESS EXCLUSIVE lock: no validated CHECK (${op.column} IS NOT NULL) precedes it.`, op.at));
    }
    return out;
  },
};

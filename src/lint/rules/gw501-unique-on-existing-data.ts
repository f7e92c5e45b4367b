import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';

/** GW501: a UNIQUE index or constraint added to a table that may already hold duplicates. */
export const uniqueOnExistingData: LintRule = {
  meta: {
    code: 'GW501',
    name: 'unique-on-existing-data',
    severity: 'warning',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'Existing rows may already contain duplicates; then the migration fails in production although it passed on an empty database.',
    fix: 'Check for duplicates first (GROUP BY ... HAVING count(*) > 1) and clean them up in an earlier migration.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'create-index')) {
      if (!op.unique || op.parentOnly || !existing(ctx, op.table, stmt)) continue;
      out.push(ctx.report(stmt, `The UNIQUE index${op.name ? ` ${op.name}` : ''} fails if ${tableName(op.table)} already holds duplicate values.`, op.at));
    }
    for (const { stmt, op } of opsOf(ctx.statements, 'add-constraint')) {
      if ((op.constraint !== 'unique' && op.constraint !== 'primary-key') || op.usingIndex || !existing(ctx, op.table, stmt)) continue;
      const kind = op.constraint === 'unique' ? 'UNIQUE constraint' : 'PRIMARY KEY';
      out.push(ctx.report(stmt, `The ${kind} fails if ${tableName(op.table)} already holds duplicate${op.constraint === 'primary-key' ? ' or NULL' : ''} values.`, op.at));
    }
    return out;
  },
};

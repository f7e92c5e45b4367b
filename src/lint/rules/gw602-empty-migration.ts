import type { LintRule } from '../rule.js';

/** GW602: a SQL migration whose up part has no statement. */
export const emptyMigration: LintRule = {
  meta: {
    code: 'GW602',
    name: 'empty-migration',
    severity: 'warning',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'An empty migration is usually a mistake (SQL under the wrong marker, an unsaved file) and is recorded as applied all the same.',
    fix: 'Add the statements, or delete the file if it is not needed.',
  },
  check(ctx) {
    if (ctx.migration.code || ctx.statements.length > 0) return [];
    return [ctx.reportMigration('The up part of this migration has no SQL statement.', { line: 1 })];
  },
};

import type { LintRule } from '../rule.js';

/** GW601: a migration without a down part in a folder whose migrations have downs. */
export const missingDown: LintRule = {
  meta: {
    code: 'GW601',
    name: 'missing-down',
    severity: 'warning',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'The folder uses down migrations, so `godwit down` past this migration will stop here.',
    fix: 'Add a down part (`-- godwit:down` section, or the matching .down.sql file) that undoes the up.',
  },
  check(ctx) {
    if (ctx.migration.hasDown || !ctx.folderHasDowns) return [];
    return [ctx.reportMigration('This migration has no down part, while other migrations in the folder have one.')];
  },
};

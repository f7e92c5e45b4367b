import { destructiveNote, opsOf, type LintRule } from '../rule.js';

/** GW101: DROP SCHEMA (or DROP DATABASE on MySQL) deletes everything in it. */
export const dropSchema: LintRule = {
  meta: {
    code: 'GW101',
    name: 'drop-schema',
    severity: 'error',
    dialects: ['postgres', 'mysql'],
    why: 'Dropping a schema deletes every table in it and all their data, permanently.',
    fix: 'Check nothing uses it and a backup exists, then acknowledge with `-- godwit:lint-ignore GW101 <reason>` in a post migration.',
  },
  check(ctx) {
    return [...opsOf(ctx.statements, 'drop-schema')].map(({ stmt, op }) =>
      ctx.report(stmt, `Drops schema ${op.name} with every table and row in it.${destructiveNote(ctx)}`, op.at),
    );
  },
};

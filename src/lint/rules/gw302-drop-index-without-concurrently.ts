import { opsOf, type LintRule } from '../rule.js';

/** GW302: DROP INDEX without CONCURRENTLY on an index this migration did not create. */
export const dropIndexWithoutConcurrently: LintRule = {
  meta: {
    code: 'GW302',
    name: 'drop-index-without-concurrently',
    severity: 'warning',
    dialects: ['postgres'],
    why: 'DROP INDEX takes an ACCESS EXCLUSIVE lock on the table: it waits for running queries and blocks all new ones meanwhile.',
    fix: 'Use DROP INDEX CONCURRENTLY in a `-- godwit:no-transaction` migration.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'drop-index')) {
      if (op.concurrent || ctx.facts.isNewIndex(op.name, stmt)) continue;
      out.push(ctx.report(stmt, `DROP INDEX ${op.name} without CONCURRENTLY locks its table against reads and writes.`, op.at));
    }
    return out;
  },
};

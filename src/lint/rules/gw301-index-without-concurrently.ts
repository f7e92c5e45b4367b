import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';

/**
 * GW301: building an index on an existing table while blocking writes: CREATE INDEX without
 * CONCURRENTLY, or ADD CONSTRAINT UNIQUE / PRIMARY KEY / EXCLUDE without USING INDEX.
 */
export const indexWithoutConcurrently: LintRule = {
  meta: {
    code: 'GW301',
    name: 'index-without-concurrently',
    severity: 'error',
    dialects: ['postgres'],
    why: 'Building an index without CONCURRENTLY blocks every write to the table until the build ends (minutes on a big table).',
    fix: 'Use CREATE INDEX CONCURRENTLY in a `-- godwit:no-transaction` migration; for a constraint, add it afterwards with USING INDEX.',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'create-index')) {
      if (op.concurrent || op.parentOnly || !existing(ctx, op.table, stmt)) continue;
      const name = op.name ? ` ${op.name}` : '';
      out.push(ctx.report(stmt, `CREATE${op.unique ? ' UNIQUE' : ''} INDEX${name} on existing table ${tableName(op.table)} without CONCURRENTLY blocks writes to it while the index builds.`, op.at));
    }
    for (const { stmt, op } of opsOf(ctx.statements, 'add-constraint')) {
      if (op.usingIndex || !existing(ctx, op.table, stmt)) continue;
      if (op.constraint !== 'unique' && op.constraint !== 'primary-key' && op.constraint !== 'exclusion') continue;
      const kind = op.constraint === 'unique' ? 'UNIQUE' : op.constraint === 'primary-key' ? 'PRIMARY KEY' : 'EXCLUDE';
      out.push(
        ctx.report(
          stmt,
          `Adding a ${kind} constraint to existing table ${tableName(op.table)} builds its index under an ACCESS EXCLUSIVE lock. Create the unique index CONCURRENTLY first, then ADD CONSTRAINT ... ${kind} USING INDEX.`,
          op.at,
        ),
      );
    }
    return out;
  },
};

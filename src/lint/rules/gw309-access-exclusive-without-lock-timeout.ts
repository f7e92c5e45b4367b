import { tableName } from '../operation.js';
import type { Diagnostic, LintRule } from '../rule.js';

/**
 * GW309: a statement takes an ACCESS EXCLUSIVE lock on an existing table while no lock timeout
 * bounds the wait. Godwit sets `lock_timeout` before each migration (`--ddl-lock-timeout`, 5 s by
 * default), so this fires only when the migration turns it off (`SET lock_timeout = 0`, RESET)
 * or Godwit's default is disabled (`--ddl-lock-timeout 0`, passed to the linter).
 */
export const accessExclusiveWithoutLockTimeout: LintRule = {
  meta: {
    code: 'GW309',
    name: 'access-exclusive-without-lock-timeout',
    severity: 'error',
    dialects: ['postgres'],
    why: 'Waiting for an ACCESS EXCLUSIVE lock behind a long query queues every later query on the table: an outage until the lock is granted.',
    fix: "Keep Godwit's --ddl-lock-timeout (it retries on timeout) or SET lock_timeout = '5s' before the statement.",
  },
  check(ctx) {
    const out: Diagnostic[] = [];
    for (const stmt of ctx.statements) {
      if (ctx.facts.lockTimeoutActive(stmt)) continue;
      for (const op of stmt.ops) {
        if (op.kind !== 'access-exclusive') continue;
        if (op.table && ctx.facts.isNewTable(op.table, stmt)) continue;
        if (op.index && ctx.facts.isNewIndex(op.index, stmt)) continue;
        const on = op.table ? `table ${tableName(op.table)}` : `index ${op.index ?? '?'}`;
        const cause = ctx.defaultLockTimeout
          ? 'this migration turned lock_timeout off before it'
          : "Godwit's DDL lock timeout is disabled (--ddl-lock-timeout 0) and the migration sets none";
        out.push(ctx.report(stmt, `${op.what} takes an ACCESS EXCLUSIVE lock on ${on} with no lock timeout: ${cause}.`, op.at));
        break;
      }
    }
    return out;
  },
};

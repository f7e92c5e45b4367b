import { tableName } from '../operation.js';
import { existing, opsOf, type LintRule } from '../rule.js';

/** GW304: ADD FOREIGN KEY or CHECK on an existing table without NOT VALID. */
export const constraintWithoutNotValid: LintRule = {
  meta: {
    code: 'GW304',
    name: 'constraint-without-not-valid',
    severity: 'error',
    dialects: ['postgres'],
    why: 'Adding a FOREIGN KEY or CHECK validates every existing row while holding a lock that blocks writes (a CHECK blocks reads too).',
    fix: 'Add the constraint NOT VALID, then run ALTER TABLE ... VALIDATE CONSTRAINT in a later statement or migration (it does not block writes).',
  },
  check(ctx) {
    const out = [];
    for (const { stmt, op } of opsOf(ctx.statements, 'add-constraint')) {
      if (op.notValid || (op.constraint !== 'foreign-key' && op.constraint !== 'check') || !existing(ctx, op.table, stmt)) continue;
      const kind = op.constraint === 'foreign-key' ? 'FOREIGN KEY' : 'CHECK';
      const name = op.name ? ` ${op.name}` : '';
      out.push(ctx.report(stmt, `${kind}${name} on existing table ${tableName(op.table)} is added without NOT VALID, so every row is checked under lock.`, op.at));
    }
    return out;
  },
};

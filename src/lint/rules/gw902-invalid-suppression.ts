import { suppressionsOf } from '../suppression.js';
import type { LintRule } from '../rule.js';

/** GW902: a `lint-ignore` without a rule code or without a reason (it then suppresses nothing). */
export const invalidSuppression: LintRule = {
  meta: {
    code: 'GW902',
    name: 'invalid-suppression',
    severity: 'error',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'A suppression must say which rule it silences and why, so reviewers can judge it; this one suppresses nothing.',
    fix: 'Write `-- godwit:lint-ignore GW102 <why this is safe>` on the line before the statement.',
  },
  check(ctx) {
    const out = [];
    for (const s of suppressionsOf(ctx.migration)) {
      const where = { line: s.line, file: s.file, excerpt: `-- godwit:lint-ignore ${s.raw}` };
      if (s.codes.length === 0) out.push(ctx.reportMigration(`"lint-ignore ${s.raw}" does not start with a rule code such as GW102.`, where));
      else if (s.reason === '') out.push(ctx.reportMigration(`"lint-ignore ${s.raw}" has no reason; the reason is required.`, where));
    }
    return out;
  },
};

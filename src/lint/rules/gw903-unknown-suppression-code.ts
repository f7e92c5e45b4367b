import { suppressionsOf } from '../suppression.js';
import type { LintRule } from '../rule.js';

/** GW903: a `lint-ignore` naming a code no rule has (a typo, or a rule from another version). */
export const unknownSuppressionCode: LintRule = {
  meta: {
    code: 'GW903',
    name: 'unknown-suppression-code',
    severity: 'warning',
    dialects: ['postgres', 'mysql', 'sqlite'],
    why: 'A suppression for a code that does not exist silences nothing, usually because of a typo.',
    fix: 'Use the code printed with the finding (docs/lint.md lists them all).',
  },
  check(ctx) {
    const out = [];
    for (const s of suppressionsOf(ctx.migration)) {
      for (const code of s.codes) {
        if (ctx.knownCodes.has(code)) continue;
        out.push(ctx.reportMigration(`"lint-ignore" names ${code}, which is not a Godwit lint rule.`, { line: s.line, file: s.file, excerpt: `-- godwit:lint-ignore ${s.raw}` }));
      }
    }
    return out;
  },
};

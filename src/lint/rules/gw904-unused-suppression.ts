import type { RuleMeta } from '../rule.js';

/**
 * GW904: a `lint-ignore` that matched no finding (stale after an edit, or placed before the wrong
 * statement). Reported by the engine after all rules ran, so it has no `check` of its own; not
 * reported for a rule that is turned off or does not apply to the migration's dialect.
 */
export const unusedSuppressionMeta: RuleMeta = {
  code: 'GW904',
  name: 'unused-suppression',
  severity: 'warning',
  dialects: ['postgres', 'mysql', 'sqlite'],
  why: 'A suppression that silences nothing hides nothing today but will silently hide a future finding on that statement.',
  fix: 'Delete it, or move it to the line just before the statement it is meant for.',
};

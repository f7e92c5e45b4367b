/**
 * Schema differences as lines for people, e.g.
 *   table users: column email: type varchar(100) -> text
 *   table users: index users_email_idx: still present after down
 * Pure.
 */
import type { SchemaDifference } from './diff-schemas.js';

/** How `added` and `removed` read in the context of a comparison. */
export interface DifferenceWording {
  /** The object is in the second snapshot only. Default `added`. */
  readonly added: string;
  /** The object is in the first snapshot only. Default `removed`. */
  readonly removed: string;
}

/** Wording for "the schema after up+down vs the schema before up". */
export const AFTER_DOWN: DifferenceWording = Object.freeze({ added: 'still present after down', removed: 'missing after down' });

/** Wording for "the schema after up again vs the schema after the first up". */
export const AFTER_REAPPLY: DifferenceWording = Object.freeze({ added: 'only present after up ran again', removed: 'missing after up ran again' });

const DEFAULT_WORDING: DifferenceWording = Object.freeze({ added: 'added', removed: 'removed' });

/** Longest value shown whole in a `changed` line; longer ones are cut around the first difference. */
const MAX_VALUE = 120;

export function formatDifference(d: SchemaDifference, wording: DifferenceWording = DEFAULT_WORDING): string {
  const where = d.path.join(': ');
  if (d.change === 'added') return `${where}: ${wording.added}`;
  if (d.change === 'removed') return `${where}: ${wording.removed}`;
  const [b, a] = abbreviate(d.before ?? 'none', d.after ?? 'none');
  return `${where}: ${d.property ?? 'value'} ${b} -> ${a}`;
}

export function formatDifferences(list: readonly SchemaDifference[], wording: DifferenceWording = DEFAULT_WORDING): string[] {
  return list.map((d) => formatDifference(d, wording));
}

/** Cut two long texts to the region where they differ, with `…` marking what was left out. */
export function abbreviate(before: string, after: string): [string, string] {
  if (before.length <= MAX_VALUE && after.length <= MAX_VALUE) return [before, after];
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start++;
  let endB = before.length;
  let endA = after.length;
  while (endB > start && endA > start && before[endB - 1] === after[endA - 1]) {
    endB--;
    endA--;
  }
  const context = 20;
  const from = Math.max(0, start - context);
  const cut = (s: string, end: number): string => {
    const to = Math.min(s.length, Math.max(end, start) + context, from + MAX_VALUE);
    return `${from > 0 ? '…' : ''}${s.slice(from, to)}${to < s.length ? '…' : ''}`;
  };
  return [cut(before, endB), cut(after, endA)];
}

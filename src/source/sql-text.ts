/**
 * Small pure helpers for line-based migration parsing: whether text holds anything but
 * whitespace and comments, and turning line ranges into `SqlSegment`s with 1-based file lines.
 */
import type { SqlSegment } from './migration.js';

/**
 * True when the text contains something other than whitespace, `--` line comments and
 * `/* *\/` block comments (nested, as PostgreSQL allows). Strings count as content.
 */
export function hasSql(text: string): boolean {
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x0c || c === 0x0b || c === 0xfeff) {
      i++;
    } else if (c === 0x2d && text.charCodeAt(i + 1) === 0x2d) {
      const nl = text.indexOf('\n', i);
      if (nl === -1) return false;
      i = nl + 1;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      let depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (text.charCodeAt(i) === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
          depth++;
          i += 2;
        } else if (text.charCodeAt(i) === 0x2a && text.charCodeAt(i + 1) === 0x2f) {
          depth--;
          i += 2;
        } else i++;
      }
    } else {
      return true;
    }
  }
  return false;
}

/**
 * The segment for lines[start, end) (0-based indexes), placed at file line start + 1; undefined
 * when the range holds no SQL. Leading blank lines are skipped so `line` is where text begins.
 */
export function segmentOfLines(lines: readonly string[], start: number, end: number, atomic: boolean): SqlSegment | undefined {
  let s = start;
  while (s < end && lines[s]!.trim() === '') s++;
  if (s >= end) return undefined;
  const text = lines.slice(s, end).join('\n');
  if (!hasSql(text)) return undefined;
  return { text, line: s + 1, atomic };
}

/** Lines of LF-normalised text. */
export function splitLines(text: string): string[] {
  return text.split('\n');
}

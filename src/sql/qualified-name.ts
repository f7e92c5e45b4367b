/**
 * Split a possibly qualified, possibly quoted SQL name (`table`, `a.table`, `"Quoted"."x.y"`) into
 * its parts. Pure; the dialect says its quote character, which bare characters it accepts and how
 * bare names fold. Throws ConfigError naming what is wrong, with the dialect's hint.
 */
import { ConfigError } from '../core/errors.js';

export interface QualifiedNameRules {
  /** `"` (PostgreSQL) or `` ` `` (MySQL); doubled inside a quoted name means itself. */
  readonly quote: string;
  /** A bare part at the start of the text, e.g. a regular expression anchored with ^. */
  readonly bare: RegExp;
  /** How a bare part folds (PostgreSQL lower-cases it). Default: kept as written. */
  readonly fold?: (bare: string) => string;
  /** Appended to every error: how to write the name. */
  readonly hint: string;
}

export function splitQualifiedName(text: string, rules: QualifiedNameRules): string[] {
  const bad = (why: string) => new ConfigError(`Bad history table name "${text}": ${why}. ${rules.hint}`);
  const q = rules.quote;
  const s = text.trim();
  if (s === '') throw bad('it is empty');
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    if (s[i] === q) {
      let out = '';
      i++;
      for (;;) {
        if (i >= s.length) throw bad('an unterminated quote');
        if (s[i] === q) {
          if (s[i + 1] === q) {
            out += q;
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += s[i++];
      }
      if (out === '') throw bad('an empty quoted name');
      parts.push(out);
    } else {
      const m = rules.bare.exec(s.slice(i));
      if (!m) throw bad(`unexpected "${s[i] ?? ''}" at character ${i + 1}`);
      parts.push(rules.fold ? rules.fold(m[0]) : m[0]);
      i += m[0].length;
    }
    if (i >= s.length) break;
    if (s[i] !== '.') throw bad(`unexpected "${s[i]}" at character ${i + 1}`);
    i++;
  }
  return parts;
}

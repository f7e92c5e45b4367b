/**
 * A small SQL tokenizer for the MySQL and SQLite analysers: words, quoted identifiers, strings,
 * numbers and punctuation, with comments dropped. It knows each flavour's quoting rules so a
 * keyword inside a string or comment is never taken for code:
 *
 *   mysql   'str' and "str" with backslash escapes and doubled quotes, `ident`, -- (followed by a
 *           space) and # line comments, block comments
 *   sqlite  'str' with doubled quotes, "ident", `ident`, [ident], -- line comments, block comments
 */
export type TokenKind = 'word' | 'ident' | 'string' | 'number' | 'punct';

export interface Token {
  readonly kind: TokenKind;
  /** Words as written; quoted identifiers and strings unquoted; punctuation as is. */
  readonly text: string;
  /** Upper-cased text for words (keyword matching), else `text`. */
  readonly upper: string;
  readonly start: number;
  readonly end: number;
}

export type SqlFlavour = 'mysql' | 'sqlite';

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

export function tokenize(sql: string, flavour: SqlFlavour): Token[] {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  const quoted = (q: string, backslash: boolean): string => {
    let value = '';
    i++;
    while (i < n) {
      const c = sql[i]!;
      if (backslash && c === '\\' && i + 1 < n) {
        value += sql[i + 1];
        i += 2;
        continue;
      }
      if (c === q) {
        if (sql[i + 1] === q) {
          value += q;
          i += 2;
          continue;
        }
        i++;
        return value;
      }
      value += c;
      i++;
    }
    return value;
  };
  while (i < n) {
    const c = sql[i]!;
    const start = i;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') {
      i++;
    } else if (c === '-' && sql[i + 1] === '-' && (flavour === 'sqlite' || i + 2 >= n || /\s/.test(sql[i + 2]!))) {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '#' && flavour === 'mysql') {
      while (i < n && sql[i] !== '\n') i++;
    } else if (c === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === "'") {
      const v = quoted("'", flavour === 'mysql');
      out.push({ kind: 'string', text: v, upper: v, start, end: i });
    } else if (c === '"') {
      const v = quoted('"', flavour === 'mysql');
      const kind = flavour === 'mysql' ? 'string' : 'ident';
      out.push({ kind, text: v, upper: v, start, end: i });
    } else if (c === '`') {
      const v = quoted('`', false);
      out.push({ kind: 'ident', text: v, upper: v, start, end: i });
    } else if (c === '[' && flavour === 'sqlite') {
      const close = sql.indexOf(']', i + 1);
      const end = close < 0 ? n : close + 1;
      const v = sql.slice(i + 1, close < 0 ? n : close);
      i = end;
      out.push({ kind: 'ident', text: v, upper: v, start, end });
    } else if (WORD_START.test(c)) {
      while (i < n && WORD_CHAR.test(sql[i]!)) i++;
      const w = sql.slice(start, i);
      out.push({ kind: 'word', text: w, upper: w.toUpperCase(), start, end: i });
    } else if (DIGIT.test(c)) {
      while (i < n && /[0-9.eE]/.test(sql[i]!)) i++;
      const w = sql.slice(start, i);
      out.push({ kind: 'number', text: w, upper: w, start, end: i });
    } else {
      i++;
      out.push({ kind: 'punct', text: c, upper: c, start, end: i });
    }
  }
  return out;
}

/** A token usable as a name: a word or a quoted identifier. */
export function isName(t: Token | undefined): t is Token {
  return t !== undefined && (t.kind === 'word' || t.kind === 'ident');
}

/** Splits tokens at top-level commas (outside parentheses). */
export function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === 'punct' && t.text === '(') depth++;
    if (t.kind === 'punct' && t.text === ')') depth = Math.max(0, depth - 1);
    if (depth === 0 && t.kind === 'punct' && t.text === ',') {
      parts.push([]);
      continue;
    }
    parts[parts.length - 1]!.push(t);
  }
  return parts.filter((p) => p.length > 0);
}

/**
 * Split SQLite SQL text into statements. Pure.
 *
 * Understands what can hide a `;` in SQLite: string literals ('...' with '' escapes), quoted
 * identifiers ("..." with "" escapes, `...` with `` escapes, [...]), `--` line comments and
 * `/* ... *\/` block comments (not nested in SQLite), and `CREATE [TEMP] TRIGGER ... BEGIN ... END`
 * bodies, whose inner statements end in `;` (a `CASE ... END` inside the body does not end it).
 *
 * Returns each statement without its trailing `;` and trailing whitespace, starting at its first
 * code character (leading comments are dropped), with the 0-based line of that character.
 * Statements that are empty or only comments are dropped, so empty text gives [].
 * An unterminated quote or comment runs to the end of the text (the database then reports it).
 */
export interface SqliteStatement {
  readonly sql: string;
  readonly lineOffset: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

export function splitSqlite(text: string): SqliteStatement[] {
  const out: SqliteStatement[] = [];
  const n = text.length;
  let i = 0;
  let line = 0;
  /** Index and line of the current statement's first code character, -1 while none yet. */
  let start = -1;
  let startLine = 0;
  /** Last code character seen in the current statement (exclusive end for trimming). */
  let end = 0;
  /** Leading words of the statement (upper case), to recognise CREATE [TEMP] TRIGGER. */
  let words: string[] = [];
  let trigger = false;
  /** Open BEGIN / CASE blocks inside a trigger statement. */
  let depth = 0;

  const markCode = (at: number) => {
    if (start < 0) {
      start = at;
      startLine = line;
    }
  };
  const finish = () => {
    if (start >= 0) out.push({ sql: text.slice(start, end), lineOffset: startLine });
    start = -1;
    words = [];
    trigger = false;
    depth = 0;
  };
  const countLines = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) line++;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      countLines(i, stop);
      i = stop;
      continue;
    }
    if (c === ';') {
      if (trigger && depth > 0) {
        i++;
        end = i;
        continue;
      }
      finish();
      i++;
      continue;
    }
    markCode(i);
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      const closer = c === '[' ? ']' : c;
      let k = i + 1;
      for (;;) {
        const q = text.indexOf(closer, k);
        if (q < 0) {
          k = n;
          break;
        }
        if (closer !== ']' && text[q + 1] === closer) {
          k = q + 2;
          continue;
        }
        k = q + 1;
        break;
      }
      countLines(i, k);
      i = k;
      end = i;
      words.push('');
      continue;
    }
    if (WORD_START.test(c)) {
      let k = i + 1;
      while (k < n && WORD_CHAR.test(text[k]!)) k++;
      const w = text.slice(i, k).toUpperCase();
      i = k;
      end = i;
      if (words.length < 3) {
        words.push(w);
        trigger = isTriggerStart(words);
      }
      if (trigger) {
        if (w === 'BEGIN' || w === 'CASE') depth++;
        else if (w === 'END' && depth > 0) depth--;
      }
      continue;
    }
    i++;
    end = i;
  }
  finish();
  return out;
}

function isTriggerStart(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  if (words[1] === 'TRIGGER') return true;
  return (words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER';
}

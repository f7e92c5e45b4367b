/**
 * Split MySQL / MariaDB SQL text into statements, the way the `mysql` command-line client does.
 * Pure.
 *
 * What can hide a delimiter:
 * - string literals '...' and "..." with backslash escapes (`\'`, `\\`) and doubled quotes (`''`);
 *   (a server running with sql_mode NO_BACKSLASH_ESCAPES reads `\` literally: avoid `\'` there);
 * - quoted identifiers `...` with doubled backticks;
 * - comments: `# ...` and `-- ...` to the end of the line (MySQL needs whitespace or a control
 *   character after `--`, so `5--3` is arithmetic), and `/* ... *\/` (not nested);
 * - executable comments `/*! ... *\/`, `/*!50003 ... *\/` and MariaDB's `/*M! ... *\/` are CODE:
 *   they are kept in the statement, and a delimiter inside one does not split (the client would split
 *   there and send two broken halves; nothing valid is lost by keeping them whole).
 *
 * `DELIMITER xyz` (case-insensitive, at a statement boundary, alone on its line apart from comments)
 * changes the delimiter until the next `DELIMITER` line, for procedures, functions, triggers and
 * events whose bodies contain `;`: `DELIMITER //` ... `END //` ... `DELIMITER ;`. The delimiter may
 * be quoted (`DELIMITER '$$'`) and may not contain a backslash. DELIMITER lines are client commands:
 * they produce no statement.
 *
 * Returns each statement without its delimiter and trailing whitespace, starting at its first code
 * character (leading comments are dropped; trailing comments too), with the 0-based line of that
 * character in `text`. Statements that are empty or only comments are dropped, so empty text gives [].
 * An unterminated quote or comment runs to the end of the text (the server then reports it).
 *
 * Throws `BadMigrationError` for a malformed DELIMITER line, with `facts.line` the 1-based line
 * within `text`.
 */
import { BadMigrationError } from '../core/errors.js';

export interface MysqlStatement {
  readonly sql: string;
  /** 0-based line of the statement's first code character within the split text. */
  readonly lineOffset: number;
}

const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

/** After `--`, MySQL needs whitespace or a control character (or the end of the text) for a comment. */
function dashCommentFollows(c: string | undefined): boolean {
  return c === undefined || c.charCodeAt(0) <= 0x20;
}

export function splitMysql(text: string): MysqlStatement[] {
  const out: MysqlStatement[] = [];
  const n = text.length;
  let delimiter = ';';
  let i = 0;
  let line = 0;
  /** Index and line of the current statement's first code character; -1 while none yet. */
  let start = -1;
  let startLine = 0;
  /** Exclusive end of the last code character of the current statement. */
  let end = 0;
  /** Inside a `/*! ... *\/` executable comment. */
  let inExec = false;

  const markCode = (at: number) => {
    if (start < 0) {
      start = at;
      startLine = line;
    }
  };
  const finish = () => {
    if (start >= 0) out.push({ sql: text.slice(start, end), lineOffset: startLine });
    start = -1;
    inExec = false;
  };
  const lineEnd = (from: number) => {
    const nl = text.indexOf('\n', from);
    return nl < 0 ? n : nl;
  };
  const countLines = (from: number, to: number) => {
    for (let k = from; k < to; k++) if (text.charCodeAt(k) === 10) line++;
  };
  /** Index after a quoted run starting at `at` (the opening quote). */
  const skipQuoted = (at: number): number => {
    const q = text[at]!;
    let k = at + 1;
    while (k < n) {
      const ch = text[k]!;
      if (ch === '\\' && q !== '`') {
        k += 2;
        continue;
      }
      if (ch === q) {
        if (text[k + 1] === q) {
          k += 2;
          continue;
        }
        return k + 1;
      }
      k++;
    }
    return n;
  };

  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (!inExec && text.startsWith(delimiter, i)) {
      finish();
      i += delimiter.length;
      continue;
    }
    if (c === '#' || (c === '-' && text[i + 1] === '-' && dashCommentFollows(text[i + 2]))) {
      i = lineEnd(i);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const exec = text[i + 2] === '!' || (text[i + 2] === 'M' && text[i + 3] === '!');
      if (exec && !inExec) {
        markCode(i);
        inExec = true;
        i += text[i + 2] === '!' ? 3 : 4;
        end = i;
        continue;
      }
      const close = text.indexOf('*/', i + 2);
      const stop = close < 0 ? n : close + 2;
      countLines(i, stop);
      i = stop;
      continue;
    }
    if (inExec && c === '*' && text[i + 1] === '/') {
      inExec = false;
      i += 2;
      end = i;
      continue;
    }
    if (start < 0 && (c === 'd' || c === 'D') && /^delimiter(?![A-Za-z0-9_$\u0080-\uffff])/i.test(text.slice(i, i + 10))) {
      const stop = lineEnd(i);
      delimiter = parseDelimiterLine(text.slice(i + 'delimiter'.length, stop), line + 1);
      i = stop;
      continue;
    }
    markCode(i);
    if (c === "'" || c === '"' || c === '`') {
      const k = skipQuoted(i);
      countLines(i, k);
      i = k;
      end = i;
      continue;
    }
    if (WORD_CHAR.test(c) && delimiter === ';') {
      // Fast path: a word cannot contain the default delimiter.
      let k = i + 1;
      while (k < n && WORD_CHAR.test(text[k]!)) k++;
      i = k;
      end = i;
      continue;
    }
    i++;
    end = i;
  }
  finish();
  return out;
}

/** The new delimiter from the rest of a `DELIMITER` line (after the word); also used by `stream-split.ts`. */
export function parseDelimiterLine(rest: string, line: number): string {
  const fail = (why: string): never => {
    throw new BadMigrationError(`DELIMITER line ${line}: ${why}. Write it alone on its line, e.g. "DELIMITER //", and go back with "DELIMITER ;".`, { line });
  };
  const s = rest.replace(/\r$/, '');
  if (s.length > 0 && !isSpace(s[0])) fail('expected a space after DELIMITER');
  const body = s.trimStart();
  if (body.length === 0) fail('no delimiter given');
  let value: string;
  let after: string;
  const q = body[0]!;
  if (q === "'" || q === '"' || q === '`') {
    const close = body.indexOf(q, 1);
    if (close < 0) fail('unterminated quoted delimiter');
    value = body.slice(1, close);
    after = body.slice(close + 1);
  } else {
    const m = /^\S+/.exec(body)!;
    value = m[0];
    after = body.slice(value.length);
  }
  if (value.length === 0) fail('the delimiter is empty');
  if (value.includes('\\')) fail('a delimiter may not contain a backslash');
  const trailing = after.trim();
  if (trailing.length > 0 && !trailing.startsWith('#') && !/^--(\s|$)/.test(trailing) && !/^\/\*.*\*\/$/.test(trailing)) {
    fail(`unexpected text after the delimiter "${value}": "${trailing}"`);
  }
  return value;
}

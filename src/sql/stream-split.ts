/**
 * Incremental statement splitting for text that arrives in pieces (a large migration file read a
 * chunk at a time), one lexer per dialect. Pure: no I/O; memory is bounded by the longest statement
 * plus the piece being scanned, never the whole text.
 *
 * `new StreamSplitter(dialect)`, then `push(text)` any number of times and `end()` once; each call
 * returns the statements completed so far, in order, in the same shape as the whole-text splitters:
 * `sql` from the statement's first code character to its last (no surrounding whitespace, comments
 * or delimiter), `lineOffset` the 0-based line of that first character in the concatenated text.
 * How the text is cut into pieces never changes the result.
 *
 * - `mysql`: exactly `splitMysql` (src/sql/split-mysql.ts): quotes with backslash escapes,
 *   backticks, `#` / `-- ` / `/* *\/` comments, executable comments, `DELIMITER` lines (statements
 *   ended by a delimiter other than `;` carry it in `delimiter`, so a caller knows not to split them
 *   again with `;`).
 * - `sqlite`: exactly `splitSqlite` (src/sql/split-sqlite.ts): quotes, `[ident]`, comments,
 *   `CREATE [TEMP] TRIGGER ... BEGIN ... END` bodies.
 * - `postgres`: a lexer, not the parser: `'...'`, `E'...'` (backslash escapes), `"..."`, `$tag$`
 *   bodies, `--` and nested `/* *\/` comments, parentheses (`CREATE RULE ... DO (a; b)`), and
 *   `BEGIN ATOMIC ... END` in `CREATE [OR REPLACE] FUNCTION|PROCEDURE` (the heuristic psql uses).
 *   It agrees with `splitPostgres` (libpg-query) on every text both accept (test/sql/stream-split.test.ts);
 *   callers that run the statements still parse each one with the real parser, which refuses
 *   anything the lexer cut wrongly instead of running it.
 *
 * Unterminated quotes and comments run to the end of the text, as in the whole-text splitters.
 * Throws `BadMigrationError` (mysql) for a malformed DELIMITER line, `facts.line` 1-based in the text.
 */
import { parseDelimiterLine } from './split-mysql.js';

export type StreamDialect = 'postgres' | 'mysql' | 'sqlite';

export interface StreamStatement {
  readonly sql: string;
  /** 0-based line of the statement's first code character in the text pushed so far. */
  readonly lineOffset: number;
  /** MySQL only: the delimiter that ended the statement, when it was not `;` (DELIMITER regions). */
  readonly delimiter?: string;
}

type Mode =
  | { readonly k: 'code' }
  | { readonly k: 'line-comment' }
  | { readonly k: 'block-comment'; depth: number }
  | { readonly k: 'quote'; readonly close: string; readonly backslash: boolean }
  | { readonly k: 'dollar'; readonly tag: string };

const CODE: Mode = { k: 'code' };
const SQLITE_WORD_START = /[A-Za-z_\u0080-\uffff]/;
const SQLITE_WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const MYSQL_WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const PG_IDENT_START = /[A-Za-z_\u0080-\uffff]/;
const PG_IDENT_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;
const PG_DOLLAR_CHAR = /[A-Za-z0-9_\u0080-\uffff]/;

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
}

/** Split a whole text (all at once): the reference the streaming use must agree with. */
export function splitStream(dialect: StreamDialect, text: string): StreamStatement[] {
  const s = new StreamSplitter(dialect);
  return [...s.push(text), ...s.end()];
}

export class StreamSplitter {
  private buf = '';
  /** Scan position in `buf`. */
  private i = 0;
  private final = false;
  /** 0-based line of `buf[i]`. */
  private line = 0;
  private mode: Mode = CODE;
  private out: StreamStatement[] = [];
  // The current statement.
  private start = -1;
  private startLine = 0;
  /** Exclusive end of the current statement's last code character. */
  private codeEnd = 0;
  // mysql
  private delimiter = ';';
  private inExec = false;
  // sqlite: leading words, trigger body depth
  private words: string[] = [];
  private trigger = false;
  private depth = 0;
  // postgres: parentheses, BEGIN ATOMIC depth (psql's heuristic), leading identifiers
  private paren = 0;
  private beginDepth = 0;
  private idents = '';
  private identCount = 0;

  constructor(readonly dialect: StreamDialect) {}

  /** Add text; returns the statements it completed. */
  push(text: string): StreamStatement[] {
    if (this.final) throw new Error('StreamSplitter.push after end()');
    this.buf += text;
    this.scan();
    return this.take();
  }

  /** The text is complete; returns the last statements. */
  end(): StreamStatement[] {
    this.final = true;
    this.scan();
    this.finish();
    return this.take();
  }

  private take(): StreamStatement[] {
    const out = this.out;
    this.out = [];
    // Drop the text no statement needs any more.
    const keep = this.start >= 0 ? this.start : this.i;
    if (keep > 0) {
      this.buf = this.buf.slice(keep);
      this.i -= keep;
      this.codeEnd -= keep;
      if (this.start >= 0) this.start -= keep;
    }
    return out;
  }

  private markCode(at: number): void {
    if (this.start < 0) {
      this.start = at;
      this.startLine = this.line;
    }
  }

  private finish(): void {
    if (this.start >= 0) {
      const sql = this.buf.slice(this.start, this.codeEnd);
      this.out.push(this.delimiter !== ';' ? { sql, lineOffset: this.startLine, delimiter: this.delimiter } : { sql, lineOffset: this.startLine });
    }
    this.start = -1;
    this.inExec = false;
    this.words = [];
    this.trigger = false;
    this.depth = 0;
    this.paren = 0;
    this.beginDepth = 0;
    this.idents = '';
    this.identCount = 0;
  }

  /** Whether `n` characters from `at` are available (or the text is complete). */
  private have(at: number, n: number): boolean {
    return this.final || at + n <= this.buf.length;
  }

  private countLines(from: number, to: number): void {
    const b = this.buf;
    for (let k = b.indexOf('\n', from); k >= 0 && k < to; k = b.indexOf('\n', k + 1)) this.line++;
  }

  private scan(): void {
    for (;;) {
      if (this.mode.k !== 'code') {
        if (!this.scanInside()) return;
        continue;
      }
      if (this.i >= this.buf.length) return;
      const ok = this.dialect === 'postgres' ? this.stepPostgres() : this.dialect === 'mysql' ? this.stepMysql() : this.stepSqlite();
      if (!ok) return;
    }
  }

  /** Continue inside a comment, quote or dollar body. False when more text is needed. */
  private scanInside(): boolean {
    const b = this.buf;
    const n = b.length;
    const m = this.mode;
    if (m.k === 'line-comment') {
      const nl = b.indexOf('\n', this.i);
      if (nl < 0) {
        this.i = n;
        if (this.final) this.mode = CODE;
        return this.final;
      }
      this.i = nl;
      this.mode = CODE;
      return true;
    }
    if (m.k === 'block-comment') {
      const nested = this.dialect === 'postgres';
      let k = this.i;
      while (k < n) {
        const c = b[k]!;
        if (c === '\n') this.line++;
        else if (c === '*' || c === '/') {
          if (k + 1 >= n && !this.final) break;
          if (c === '*' && b[k + 1] === '/') {
            k += 2;
            if (--m.depth === 0) {
              this.i = k;
              this.mode = CODE;
              return true;
            }
            continue;
          }
          if (nested && c === '/' && b[k + 1] === '*') {
            m.depth++;
            k += 2;
            continue;
          }
        }
        k++;
      }
      this.i = k;
      if (this.final) this.mode = CODE;
      return false;
    }
    if (m.k === 'quote') {
      let k = this.i;
      while (k < n) {
        const c = b[k]!;
        if (c === '\n') {
          this.line++;
          k++;
          continue;
        }
        if (c === '\\' && m.backslash) {
          if (k + 1 >= n && !this.final) break;
          if (b[k + 1] === '\n') this.line++;
          k += 2;
          continue;
        }
        if (c === m.close) {
          if (k + 1 >= n && !this.final) break;
          if (m.close !== ']' && b[k + 1] === m.close) {
            k += 2;
            continue;
          }
          this.i = k + 1;
          this.codeEnd = this.i;
          this.mode = CODE;
          return true;
        }
        k++;
      }
      this.i = Math.min(k, n);
      if (this.final) {
        this.codeEnd = n;
        this.mode = CODE;
      }
      return false;
    }
    if (m.k !== 'dollar') return true;
    const close = `$${m.tag}$`;
    const at = b.indexOf(close, this.i);
    if (at < 0) {
      const upTo = this.final ? n : Math.max(this.i, n - close.length + 1);
      this.countLines(this.i, upTo);
      this.i = upTo;
      if (this.final) {
        this.codeEnd = n;
        this.mode = CODE;
      }
      return false;
    }
    this.countLines(this.i, at);
    this.i = at + close.length;
    this.codeEnd = this.i;
    this.mode = CODE;
    return true;
  }

  /** One step of the MySQL lexer (the rules of `splitMysql`). False when more text is needed. */
  private stepMysql(): boolean {
    if (this.stepSpace()) return true;
    const b = this.buf;
    const i = this.i;
    const c = b[i]!;
    if (!this.inExec) {
      const d = this.delimiter;
      if (!this.have(i, d.length) && d.startsWith(b.slice(i))) return false;
      if (b.startsWith(d, i)) {
        this.finish();
        this.i += d.length;
        return true;
      }
    }
    if (c === '#') {
      this.mode = { k: 'line-comment' };
      return true;
    }
    if (c === '-' || c === '/' || c === '*') {
      if (!this.have(i, 4)) return false;
    }
    if (c === '-' && b[i + 1] === '-' && (b[i + 2] === undefined || b.charCodeAt(i + 2) <= 0x20)) {
      this.mode = { k: 'line-comment' };
      return true;
    }
    if (c === '/' && b[i + 1] === '*') {
      const exec = b[i + 2] === '!' || (b[i + 2] === 'M' && b[i + 3] === '!');
      if (exec && !this.inExec) {
        this.markCode(i);
        this.inExec = true;
        this.i += b[i + 2] === '!' ? 3 : 4;
        this.codeEnd = this.i;
        return true;
      }
      this.i += 2;
      this.mode = { k: 'block-comment', depth: 1 };
      return true;
    }
    if (this.inExec && c === '*' && b[i + 1] === '/') {
      this.inExec = false;
      this.i += 2;
      this.codeEnd = this.i;
      return true;
    }
    if (this.start < 0 && (c === 'd' || c === 'D')) {
      if (!this.have(i, 10)) return false;
      if (/^delimiter(?![A-Za-z0-9_$\u0080-\uffff])/i.test(b.slice(i, i + 10))) {
        let stop = b.indexOf('\n', i);
        if (stop < 0) {
          if (!this.final) return false;
          stop = b.length;
        }
        this.delimiter = parseDelimiterLine(b.slice(i + 'delimiter'.length, stop), this.line + 1);
        this.i = stop;
        return true;
      }
    }
    this.markCode(i);
    if (c === "'" || c === '"' || c === '`') {
      this.i++;
      this.mode = { k: 'quote', close: c, backslash: c !== '`' };
      return true;
    }
    if (this.delimiter === ';' && MYSQL_WORD_CHAR.test(c)) {
      let k = i + 1;
      while (k < b.length && MYSQL_WORD_CHAR.test(b[k]!)) k++;
      this.i = k;
      this.codeEnd = k;
      return true;
    }
    this.i++;
    this.codeEnd = this.i;
    return true;
  }

  /** A newline (counted) or other white space: consumed, true. Anything else: false. */
  private stepSpace(): boolean {
    const c = this.buf[this.i]!;
    if (c === '\n') {
      this.line++;
      this.i++;
      return true;
    }
    if (isSpace(c)) {
      this.i++;
      return true;
    }
    return false;
  }

  /**
   * What the SQLite and PostgreSQL lexers share: newlines, white space, `--` and `/* *\/`
   * comments. True or false as a step answers; undefined when the character is not one of these.
   */
  private stepSpaceOrComment(): boolean | undefined {
    if (this.stepSpace()) return true;
    const b = this.buf;
    const i = this.i;
    const c = b[i]!;
    if ((c === '-' || c === '/') && !this.have(i, 2)) return false;
    if (c === '-' && b[i + 1] === '-') {
      this.mode = { k: 'line-comment' };
      return true;
    }
    if (c === '/' && b[i + 1] === '*') {
      this.i += 2;
      this.mode = { k: 'block-comment', depth: 1 };
      return true;
    }
    return undefined;
  }

  /** One step of the SQLite lexer (the rules of `splitSqlite`). False when more text is needed. */
  private stepSqlite(): boolean {
    const common = this.stepSpaceOrComment();
    if (common !== undefined) return common;
    const b = this.buf;
    const i = this.i;
    const c = b[i]!;
    if (c === ';') {
      if (this.trigger && this.depth > 0) {
        this.i++;
        this.codeEnd = this.i;
        return true;
      }
      this.finish();
      this.i++;
      return true;
    }
    this.markCode(i);
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      this.i++;
      this.mode = { k: 'quote', close: c === '[' ? ']' : c, backslash: false };
      this.words.push('');
      return true;
    }
    if (SQLITE_WORD_START.test(c)) {
      let k = i + 1;
      while (k < b.length && SQLITE_WORD_CHAR.test(b[k]!)) k++;
      if (k >= b.length && !this.final) return false;
      const w = b.slice(i, k).toUpperCase();
      this.i = k;
      this.codeEnd = k;
      if (this.words.length < 3) {
        this.words.push(w);
        this.trigger = isTriggerStart(this.words);
      }
      if (this.trigger) {
        if (w === 'BEGIN' || w === 'CASE') this.depth++;
        else if (w === 'END' && this.depth > 0) this.depth--;
      }
      return true;
    }
    this.i++;
    this.codeEnd = this.i;
    return true;
  }

  /** One step of the PostgreSQL lexer. False when more text is needed. */
  private stepPostgres(): boolean {
    const common = this.stepSpaceOrComment();
    if (common !== undefined) return common;
    const b = this.buf;
    const i = this.i;
    const c = b[i]!;
    if (c === ';' && this.paren === 0 && this.beginDepth === 0) {
      this.finish();
      this.i++;
      return true;
    }
    this.markCode(i);
    if (c === "'") {
      this.i++;
      this.mode = { k: 'quote', close: "'", backslash: false };
      return true;
    }
    if (c === '"') {
      this.i++;
      this.mode = { k: 'quote', close: '"', backslash: false };
      return true;
    }
    if (c === '$') {
      let k = i + 1;
      if (k < b.length && !/[A-Za-z_\u0080-\uffff$]/.test(b[k]!)) {
        this.i++;
        this.codeEnd = this.i;
        return true;
      }
      while (k < b.length && PG_DOLLAR_CHAR.test(b[k]!)) k++;
      if (k >= b.length && !this.final) return false;
      if (b[k] === '$') {
        this.mode = { k: 'dollar', tag: b.slice(i + 1, k) };
        this.i = k + 1;
        this.codeEnd = this.i;
        return true;
      }
      this.i++;
      this.codeEnd = this.i;
      return true;
    }
    if (PG_IDENT_START.test(c)) {
      let k = i + 1;
      while (k < b.length && PG_IDENT_CHAR.test(b[k]!)) k++;
      if (k >= b.length && !this.final) return false;
      this.i = k;
      this.codeEnd = k;
      if (k - i === 1 && (c === 'e' || c === 'E') && b[k] === "'") {
        this.i = k + 1;
        this.mode = { k: 'quote', close: "'", backslash: true };
        return true;
      }
      this.identifier(b.slice(i, k).toLowerCase());
      return true;
    }
    if (c === '(') this.paren++;
    else if (c === ')' && this.paren > 0) this.paren--;
    this.i++;
    this.codeEnd = this.i;
    return true;
  }

  /** psql's BEGIN ... END tracking inside CREATE [OR REPLACE] FUNCTION|PROCEDURE (psqlscan.l). */
  private identifier(w: string): void {
    if (this.identCount < 4) {
      this.idents += w === 'create' || w === 'function' || w === 'procedure' || w === 'or' || w === 'replace' ? w[0] : ' ';
    }
    this.identCount++;
    const p = this.idents;
    const inRoutine = p[0] === 'c' && (p[1] === 'f' || p[1] === 'p' || (p[1] === 'o' && p[2] === 'r' && (p[3] === 'f' || p[3] === 'p')));
    if (!inRoutine || this.paren !== 0) return;
    if (w === 'begin') this.beginDepth++;
    else if (w === 'case') {
      if (this.beginDepth >= 1) this.beginDepth++;
    } else if (w === 'end' && this.beginDepth > 0) this.beginDepth--;
  }
}

function isTriggerStart(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  if (words[1] === 'TRIGGER') return true;
  return (words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER';
}

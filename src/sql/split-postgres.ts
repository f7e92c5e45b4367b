/**
 * Split PostgreSQL SQL text into statements with the real PostgreSQL parser (`libpg-query`, the
 * server's own grammar compiled to WebAssembly). Pure: no database, no file system beyond loading
 * the parser once.
 *
 * Whatever can hide a `;` is understood exactly as the server understands it: `$$` / `$tag$`
 * bodies (functions, DO blocks), `E'...'` strings with backslash escapes, nested block comments,
 * quoted identifiers, `CREATE RULE ... DO (a; b)`.
 *
 * Each statement is returned as it appears in the text, without surrounding whitespace, comments
 * and `;`, with the 0-based line of its first code character (`lineOffset`). Comment-only or
 * empty text gives [].
 *
 * Throws `BadMigrationError` (exit 2) for:
 * - text the parser rejects (`facts.line` / `facts.column`: 1-based place within the text, the
 *   caller adds the file);
 * - `COPY ... FROM stdin`: the rows would have to come from the client, which a migration file
 *   cannot stream (`facts.line` as above).
 *
 * The parser is loaded lazily (about 100 ms of WebAssembly start-up) by the async functions;
 * `parsePostgresSync` needs it loaded first (`loadPostgresParser`).
 */
import type { Node } from 'libpg-query';
import { BadMigrationError, GodwitError, messageOf } from '../core/errors.js';

export type { Node as PostgresNode } from 'libpg-query';

type PgQuery = typeof import('libpg-query');

/** A statement as split from the text, with the parser's tree for callers that inspect it. */
export interface PostgresStatement {
  readonly sql: string;
  /** 0-based line of the statement's first code character within the split text. */
  readonly lineOffset: number;
  /** The parse tree of the statement, e.g. `{ IndexStmt: {...} }`. */
  readonly node: Node;
}

let parser: PgQuery | undefined;
let loading: Promise<PgQuery> | undefined;

/** Load the parser once (idempotent; concurrent callers share the load). */
export function loadPostgresParser(): Promise<PgQuery> {
  if (parser) return Promise.resolve(parser);
  loading ??= (async () => {
    try {
      const lib = (await import('libpg-query')) as PgQuery;
      await lib.loadModule();
      parser = lib;
      return lib;
    } catch (e) {
      loading = undefined;
      throw new GodwitError('INTERNAL', `Could not load the PostgreSQL parser (libpg-query): ${messageOf(e)}. Reinstall godwit's dependencies.`, {}, { cause: e });
    }
  })();
  return loading;
}

/** The loaded parser, or undefined before `loadPostgresParser()` has finished. */
export function loadedPostgresParser(): PgQuery | undefined {
  return parser;
}

/** Split `text` into statements (loads the parser if needed). */
export async function splitPostgres(text: string): Promise<PostgresStatement[]> {
  return parsePostgresSync(text, await loadPostgresParser());
}

const COMMENT_TOKENS = new Set(['C_COMMENT', 'SQL_COMMENT']);

/** Split with an already loaded parser. Same contract as `splitPostgres`. */
export function parsePostgresSync(text: string, lib: PgQuery): PostgresStatement[] {
  if (text.trim() === '') return [];
  let stmts;
  try {
    stmts = lib.parseSync(text).stmts ?? [];
  } catch (e) {
    const err = syntaxError(text, e);
    refuseCopyBefore(text, err, lib);
    throw err;
  }
  return fromParse(text, stmts, lib);
}

/** Text longer than this is parsed in pieces of about this many characters (`splitPostgresText`). */
export const PIECE_CHARS = 1 << 18;

/**
 * Statements without their parse trees, for running them: same results and errors as
 * `parsePostgresSync`, but text longer than `PIECE_CHARS` is parsed piece by piece, so the parse
 * tree of a huge file (a 20 MB data migration's tree took ~800 MB) is never held whole.
 *
 * A piece ends just after a `;` that the parser confirms ends a statement: the piece parses and
 * its last statement ends exactly at that `;` (a `;` in a string, comment, `$$` body or
 * parentheses fails one of the two, and the piece is doubled and tried again). Any parse error
 * falls back to parsing the whole text, so errors are reported exactly as `parsePostgresSync` does.
 * `onStatement` sees each statement with its parse tree before the tree is dropped.
 */
export function splitPostgresText(
  text: string,
  lib: PgQuery,
  pieceChars = PIECE_CHARS,
  onStatement?: (sql: string, node: Node) => void,
): { sql: string; lineOffset: number }[] {
  const whole = () =>
    parsePostgresSync(text, lib).map(({ sql, lineOffset, node }) => {
      onStatement?.(sql, node);
      return { sql, lineOffset };
    });
  if (text.length <= pieceChars) return whole();
  const out: { sql: string; lineOffset: number }[] = [];
  let start = 0;
  let lineBase = 0;
  while (start < text.length) {
    let size = pieceChars;
    let done = false;
    while (!done) {
      const semi = start + size >= text.length ? -1 : text.indexOf(';', start + size);
      const cut = semi < 0 ? text.length : semi + 1;
      const piece = text.slice(start, cut);
      let stmts;
      try {
        stmts = piece.trim() === '' ? [] : (lib.parseSync(piece).stmts ?? []);
      } catch {
        if (cut === text.length) return whole();
        size *= 2;
        continue;
      }
      const last = stmts[stmts.length - 1];
      const endsAtCut = cut === text.length || (last !== undefined && (last.stmt_len ?? 0) > 0 && (last.stmt_location ?? 0) + last.stmt_len! === Buffer.byteLength(piece, 'utf8') - 1);
      if (!endsAtCut) {
        size *= 2;
        continue;
      }
      let found;
      try {
        found = fromParse(piece, stmts, lib);
      } catch {
        return whole(); // e.g. COPY FROM stdin: report it with its line in the whole text
      }
      for (const st of found) {
        onStatement?.(st.sql, st.node);
        out.push({ sql: st.sql, lineOffset: lineBase + st.lineOffset });
      }
      lineBase += countNewlines(text, start, cut);
      start = cut;
      done = true;
    }
  }
  return out;
}

function fromParse(text: string, stmts: NonNullable<ReturnType<PgQuery['parseSync']>['stmts']>, lib: PgQuery): PostgresStatement[] {
  if (stmts.length === 0) return [];
  const toIndex = byteToIndex(text);
  const totalBytes = Buffer.byteLength(text, 'utf8');
  const lines = new LineCounter(text);
  const out: PostgresStatement[] = [];
  for (const raw of stmts) {
    const from = raw.stmt_location ?? 0;
    const to = raw.stmt_len ? from + raw.stmt_len : totalBytes;
    const base = toIndex(from);
    const range = codeRange(text.slice(base, toIndex(to)), lib);
    if (!range || !raw.stmt) continue;
    const start = base + range[0];
    const sql = text.slice(start, base + range[1]);
    const lineOffset = lines.lineAt(start);
    refuseCopyFromStdin(raw.stmt, lineOffset);
    out.push({ sql, lineOffset, node: raw.stmt });
  }
  return out;
}

/**
 * Where the code of one statement's source range starts and ends, without surrounding whitespace,
 * comments and `;`. Only ranges that may begin or end with a comment are run through the
 * scanner (scanning is slower than parsing); the others are trimmed directly.
 */
function codeRange(slice: string, lib: PgQuery): [number, number] | undefined {
  const lead = /^[\s;]*/.exec(slice)![0].length;
  // From the end by hand: /[\s;]*$/ retries at every whitespace run of a long statement.
  let end = slice.length;
  while (end > lead && /[\s;]/.test(slice[end - 1]!)) end--;
  if (end <= lead) return undefined;
  const body = slice.slice(lead, end);
  const lastLine = body.slice(body.lastIndexOf('\n') + 1);
  if (!body.startsWith('--') && !body.startsWith('/*') && !body.endsWith('*/') && !lastLine.includes('--')) return [lead, end];
  const tokens = (lib.scanSync(slice).tokens ?? []).filter((t) => !COMMENT_TOKENS.has(t.tokenName) && t.text !== ';');
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (!first || !last) return undefined;
  const toIndex = byteToIndex(slice);
  return [toIndex(first.start), toIndex(last.end)];
}

function refuseCopyFromStdin(node: Node, lineOffset: number): void {
  if (!('CopyStmt' in node)) return;
  const c = node.CopyStmt;
  if (c.is_from && !c.filename && !c.is_program) {
    throw new BadMigrationError(
      'COPY ... FROM stdin cannot run from a migration file: its rows would have to be streamed by the client. ' +
        'Write the rows as INSERT statements (or INSERT ... SELECT), or COPY from a file on the database server.',
      { line: lineOffset + 1 },
    );
  }
}

/**
 * `COPY ... FROM stdin;` followed by its rows (as pg_dump writes them) is a syntax error at the
 * first row: report the COPY instead when the text before the error holds one.
 */
function refuseCopyBefore(text: string, err: BadMigrationError, lib: PgQuery): void {
  const line = typeof err.facts.line === 'number' ? err.facts.line : 1;
  let lineStart = 0;
  for (let n = 1; n < line && lineStart >= 0; n++) lineStart = text.indexOf('\n', lineStart) + 1;
  const prefix = text.slice(0, Math.max(0, lineStart));
  if (!/copy/i.test(prefix)) return;
  let stmts;
  try {
    stmts = lib.parseSync(prefix).stmts ?? [];
  } catch {
    return;
  }
  const lines = new LineCounter(prefix);
  const toIndex = byteToIndex(prefix);
  for (const raw of stmts) if (raw.stmt) refuseCopyFromStdin(raw.stmt, lines.lineAt(toIndex(raw.stmt_location ?? 0)));
}

function syntaxError(text: string, e: unknown): BadMigrationError {
  const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const cp = typeof details?.cursorPosition === 'number' && details.cursorPosition >= 0 ? details.cursorPosition : 0;
  const index = codePointToIndex(text, cp);
  const lineStart = text.lastIndexOf('\n', index - 1) + 1;
  let lineEnd = text.indexOf('\n', index);
  if (lineEnd < 0) lineEnd = text.length;
  const line = countNewlines(text, 0, lineStart) + 1;
  const source = text.slice(lineStart, lineEnd).trim();
  const shown = source.length > 100 ? `${source.slice(0, 99)}…` : source;
  return new BadMigrationError(`PostgreSQL cannot parse this SQL: ${messageOf(e)}${shown ? `, in: ${shown}` : ''}`, {
    line,
    column: index - lineStart + 1,
  });
}

/** JS string index of the `cp`-th (0-based) code point; the parser counts code points. */
export function codePointToIndex(text: string, cp: number): number {
  let i = 0;
  for (let n = 0; n < cp && i < text.length; n++) {
    const c = text.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < text.length ? 2 : 1;
  }
  return Math.min(i, text.length);
}

/** Map UTF-8 byte offsets (the parser's locations) to JS string indices. */
function byteToIndex(text: string): (byte: number) => number {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === text.length) return (b) => Math.min(Math.max(b, 0), bytes);
  const map = new Uint32Array(bytes + 1);
  let b = 0;
  for (let i = 0; i < text.length; ) {
    const cp = text.codePointAt(i)!;
    const units = cp > 0xffff ? 2 : 1;
    const n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
    for (let j = 0; j < n; j++) map[b + j] = i;
    b += n;
    i += units;
  }
  map[bytes] = text.length;
  return (x) => map[Math.min(Math.max(x, 0), bytes)]!;
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** 0-based line of an index, for ascending queries in one pass. */
class LineCounter {
  private pos = 0;
  private line = 0;
  constructor(private readonly text: string) {}
  lineAt(index: number): number {
    if (index < this.pos) {
      this.pos = 0;
      this.line = 0;
    }
    this.line += countNewlines(this.text, this.pos, index);
    this.pos = index;
    return this.line;
  }
}

/**
 * Large SQL migration files (above `LARGE_FILE_BYTES`), read with bounded memory: a 200 MB data
 * migration must not cost 200 MB of bytes, 400 MB of text, its lines and its statements at once.
 *
 * Loading (`loadLargeMigration`) reads the file once, a chunk at a time: it hashes the bytes (the
 * same checksum as `checksumOf`, line endings normalised), decodes them strictly as UTF-8, and keeps
 * a skeleton of the lines: marker and directive lines verbatim, every other line as `''` (blank),
 * `'--'` (only comments) or `'x'` (has SQL). The format parsers (formats/*.ts) run on that skeleton
 * unchanged, so format detection, markers, directives and their errors are exactly those of a small
 * file; their segments become line ranges. The body is a `SqlStreamBody` whose `statements()` reads
 * the ranges from the file again and splits them with `sql/stream-split.ts`.
 *
 * Known difference from a small file: whether a line holds SQL is decided from the last marker or
 * directive line on, so a block comment that encloses a directive line is seen as ending there.
 * goose `StatementBegin/End` blocks are held whole (they are one statement).
 */
import { createHash, type Hash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { BadMigrationError, messageOf } from '../core/errors.js';
import { StreamSplitter, type StreamDialect, type StreamStatement } from '../sql/stream-split.js';
import { decodeMigrationText, firstInvalidUtf8 } from './decode-text.js';
import { combinePair, parsePairHalf, type PairHalf } from './formats/golang-migrate.js';
import type { ParsedSqlFile } from './formats/parsed-sql-file.js';
import type { LoadedMigration, MigrationBody, MigrationRef, SqlSegment, SqlStreamBody, StreamedStatement } from './migration.js';
import { parseSqlLines } from './parse-sql-file.js';
import { splitLines } from './sql-text.js';

/** Files above this many bytes are read as streams (`createFsSource(dir, { largeFileBytes })` overrides it). */
export const LARGE_FILE_BYTES = 16 * 1024 * 1024;

/**
 * Bytes read at once. Small on purpose: V8 puts strings above ~128 kB in its large-object space,
 * which only a full GC frees; at 1 MB chunks a 200 MB file left ~200 MB of dead text behind.
 */
const CHUNK_BYTES = 48 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/** SHA-256 of bytes given in chunks, line endings normalised as `checksumOf` does. */
export class ChecksumStream {
  private readonly hash: Hash = createHash('sha256');
  private pendingCr = false;

  update(chunk: Uint8Array): void {
    let from = 0;
    if (this.pendingCr && chunk.length > 0 && chunk[0] === LF) from = 1;
    this.pendingCr = false;
    let run = from;
    for (let i = chunk.indexOf(CR, from); i >= 0; i = chunk.indexOf(CR, i + 1)) {
      this.hash.update(chunk.subarray(run, i));
      this.hash.update(LF_BYTE);
      if (i + 1 === chunk.length) this.pendingCr = true;
      else if (chunk[i + 1] === LF) i++;
      run = i + 1;
    }
    this.hash.update(chunk.subarray(run));
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
const LF_BYTE = new Uint8Array([LF]);

/** `checksumOf` of a file's bytes, read a chunk at a time. */
export async function checksumOfFile(file: string): Promise<string> {
  const h = new ChecksumStream();
  for await (const chunk of readChunks(file)) h.update(chunk);
  return h.digest();
}

async function* readChunks(file: string): AsyncGenerator<Uint8Array> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    throw new BadMigrationError(`${file}: cannot read the migration file: ${messageOf(e)}.`, { file });
  }
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, buf.length, null);
      if (bytesRead === 0) return;
      yield buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * A block of whole lines: `text` holds lines `first`, `first + 1`, ... each ended by `\n`, except
 * in the `last` block, which is the file's last line (no `\n`, possibly empty) and nothing else.
 */
interface LineBlock {
  readonly first: number;
  readonly text: string;
  readonly last: boolean;
}

/**
 * The file's lines in blocks, decoded as `decodeMigrationText` does (strict UTF-8, BOM dropped,
 * CRLF and CR as LF); every byte also goes through `hash`.
 */
async function* readLines(file: string, hash: ChecksumStream): AsyncGenerator<LineBlock> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let next = 1;
  let offset = 0;
  for await (const chunk of readChunks(file)) {
    hash.update(chunk);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw notUtf8(file, chunk, offset, next, carry);
    }
    offset += chunk.length;
    if (carry !== '') text = carry + text;
    // Keep a final CR: it may be the first half of a CRLF split across chunks.
    const keepCr = text.endsWith('\r');
    if (keepCr) text = text.slice(0, -1);
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    const cut = text.lastIndexOf('\n') + 1;
    carry = text.slice(cut) + (keepCr ? '\r' : '');
    if (cut > 0) {
      const block = text.slice(0, cut);
      yield { first: next, text: block, last: false };
      next += countLf(block);
    }
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw notUtf8(file, new Uint8Array(0), offset, next, carry);
  }
  const rest = (carry + tail).replace(/\r\n?/g, '\n');
  const cut = rest.lastIndexOf('\n') + 1;
  if (cut > 0) {
    yield { first: next, text: rest.slice(0, cut), last: false };
    next += countLf(rest.slice(0, cut));
  }
  yield { first: next, text: rest.slice(cut), last: true };
}

function countLf(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Call `fn(start, end, line)` for each line of a block (`end` excludes the `\n`). */
function eachLine(block: LineBlock, fn: (start: number, end: number, line: number) => void): void {
  const t = block.text;
  if (block.last) {
    fn(0, t.length, block.first);
    return;
  }
  let line = block.first;
  for (let a = 0; a < t.length; line++) {
    const b = t.indexOf('\n', a);
    fn(a, b, line);
    a = b + 1;
  }
}

function notUtf8(file: string, chunk: Uint8Array, offset: number, line: number, carry: string): BadMigrationError {
  const at = Math.min(firstInvalidUtf8(chunk), chunk.length);
  let l = line + (carry.match(/\r\n?|\n/g)?.length ?? 0);
  for (let i = 0; i < at; i++) if (chunk[i] === LF || (chunk[i] === CR && chunk[i + 1] !== LF)) l++;
  return new BadMigrationError(
    `${file}:${l}: the file is not valid UTF-8 (bad byte 0x${(chunk[at] ?? 0).toString(16).padStart(2, '0')} at offset ${offset + at}). Save it as UTF-8 (e.g. "iconv -f latin1 -t utf-8").`,
    { file, line: l },
  );
}

/** Lines the format parsers must see verbatim: markers and directives of every format. */
const KEEP_RE = /^\s*--\s*(?:godwit:|\+goose|migrate:)/i;

/** What a streaming read of a file found: its checksum and the skeleton of its lines. */
export interface FileSkeleton {
  readonly checksum: string;
  readonly bytes: number;
  readonly lines: string[];
}

/** Read a file once: checksum and skeleton (see the file comment). */
export async function scanLargeSqlFile(file: string): Promise<FileSkeleton> {
  const hash = new ChecksumStream();
  const out: string[] = [];
  let depth = 0;
  let found = false;
  let bytes = 0;
  try {
    bytes = (await stat(file)).size;
  } catch (e) {
    throw new BadMigrationError(`${file}: cannot read the migration file: ${messageOf(e)}.`, { file });
  }
  for await (const block of readLines(file, hash)) {
    const t = block.text;
    eachLine(block, (a, b) => {
      const dashes = t.indexOf('--', a);
      if (dashes >= 0 && dashes < b) {
        const line = t.slice(a, b);
        if (KEEP_RE.test(line)) {
          out.push(line);
          depth = 0;
          found = false;
          return;
        }
      }
      NON_SPACE.lastIndex = a;
      const m = NON_SPACE.exec(t);
      if (!m || m.index >= b) out.push('');
      else if (found) out.push('x');
      else {
        const r = commentState(t, a, b, depth);
        depth = r.depth;
        found = r.content;
        out.push(found ? 'x' : '--');
      }
    });
  }
  return { checksum: hash.digest(), bytes, lines: out };
}

/** Whitespace as `String.prototype.trim` sees it. */
const NON_SPACE = /\S/g;

/** `hasSql` for the line `t[from, to)`, carrying the block-comment depth from line to line. */
function commentState(t: string, from: number, to: number, depth: number): { content: boolean; depth: number } {
  const line = t;
  const n = to;
  let i = from;
  while (i < n) {
    const c = line.charCodeAt(i);
    const next = i + 1 < n ? line.charCodeAt(i + 1) : NaN;
    if (depth > 0) {
      if (c === 0x2f && next === 0x2a) (depth++, (i += 2));
      else if (c === 0x2a && next === 0x2f) (depth--, (i += 2));
      else i++;
    } else if (c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b || c === 0xfeff) i++;
    else if (c === 0x2d && next === 0x2d) return { content: false, depth };
    else if (c === 0x2f && next === 0x2a) (depth = 1, (i += 2));
    else return { content: true, depth };
  }
  return { content: false, depth };
}

/** A segment as lines of the file: [start, end), 1-based. */
interface LineRange {
  readonly start: number;
  readonly end: number;
  readonly atomic: boolean;
}

function rangesOf(segments: readonly SqlSegment[]): LineRange[] {
  return segments.map((s) => ({ start: s.line, end: s.line + (s.text.match(/\n/g)?.length ?? 0) + 1, atomic: s.atomic }));
}


export interface LargeFileOptions {
  /** Files above this many bytes are streamed. Default `LARGE_FILE_BYTES`. */
  readonly largeFileBytes?: number;
}

/**
 * Load a migration whose up file is large (the caller checked its size). Same result as
 * `buildLoadedMigration` on the file's bytes, except that SQL bodies of large files are
 * `sql-stream` bodies. A golang-migrate down file is streamed only when it is large itself.
 */
export async function loadLargeMigration(ref: MigrationRef, options: LargeFileOptions = {}): Promise<LoadedMigration> {
  const limit = options.largeFileBytes ?? LARGE_FILE_BYTES;
  const up = await scanLargeSqlFile(ref.upFile);
  const pair = ref.downFile !== undefined || ref.format === 'golang-migrate';
  let parsed: ParsedSqlFile;
  let downLarge: FileSkeleton | undefined;
  if (pair) {
    let down: PairHalf | undefined;
    if (ref.downFile !== undefined) {
      const size = (await stat(ref.downFile).catch(() => undefined))?.size ?? 0;
      if (size > limit) {
        downLarge = await scanLargeSqlFile(ref.downFile);
        down = parsePairHalf(ref.downFile, downLarge.lines, 'down');
      } else {
        let bytes: Uint8Array;
        try {
          bytes = readFileSync(ref.downFile);
        } catch (e) {
          throw new BadMigrationError(`${ref.downFile}: cannot read the migration file: ${messageOf(e)}.`, { file: ref.downFile });
        }
        down = parsePairHalf(ref.downFile, splitLines(decodeMigrationText(bytes, ref.downFile)), 'down');
      }
    }
    parsed = combinePair(parsePairHalf(ref.upFile, up.lines, 'up'), down);
  } else {
    parsed = parseSqlLines(ref.upFile, up.lines);
  }
  const upBody = streamBody(ref.upFile, rangesOf(parsed.up), up);
  const downFile = ref.downFile ?? ref.upFile;
  let down: MigrationBody | undefined;
  if (parsed.down) {
    if (ref.downFile === undefined) down = streamBody(ref.upFile, rangesOf(parsed.down), up);
    else if (downLarge) down = streamBody(downFile, rangesOf(parsed.down), downLarge);
    else down = { kind: 'sql', file: downFile, segments: parsed.down };
  }
  return {
    ref: ref.format === parsed.format ? ref : { ...ref, format: parsed.format },
    checksum: up.checksum,
    transaction: parsed.transaction,
    ...(parsed.downTransaction !== undefined ? { downTransaction: parsed.downTransaction } : {}),
    phase: parsed.phase,
    up: upBody,
    ...(down ? { down } : {}),
    directives: parsed.directives,
  };
}

function streamBody(file: string, ranges: readonly LineRange[], loaded: { checksum: string; bytes: number }): SqlStreamBody {
  return Object.freeze({
    kind: 'sql-stream' as const,
    file,
    bytes: loaded.bytes,
    statements: (dialect: StreamDialect) => streamStatements(file, ranges, loaded, dialect),
  });
}

function changed(file: string): BadMigrationError {
  return new BadMigrationError(`${file}: the file changed while Godwit was using it (its checksum no longer matches what was loaded). Run again once it is no longer being written.`, { file });
}

async function* streamStatements(file: string, ranges: readonly LineRange[], loaded: { checksum: string; bytes: number }, dialect: StreamDialect): AsyncGenerator<StreamedStatement> {
  const size = (await stat(file).catch(() => undefined))?.size;
  if (size !== loaded.bytes) throw changed(file);
  const hash = new ChecksumStream();
  let r = 0;
  let splitter: StreamSplitter | undefined;
  let atomic: string[] = [];
  let out: StreamedStatement[] = [];
  const emit = (got: readonly StreamStatement[]): void => {
    const base = ranges[r]!.start;
    for (const s of got) out.push(s.delimiter !== undefined ? { sql: s.sql, file, line: base + s.lineOffset, whole: true } : { sql: s.sql, file, line: base + s.lineOffset });
  };
  /** Text of the current range (whole lines with their `\n`). */
  const give = (text: string): void => {
    if (ranges[r]!.atomic) atomic.push(text);
    else emit((splitter ??= new StreamSplitter(dialect)).push(text));
  };
  const close = (): void => {
    const range = ranges[r]!;
    if (range.atomic) {
      const text = atomic.join('');
      atomic = [];
      const sql = text.trim().replace(/;\s*$/, '');
      if (sql) out.push({ sql, file, line: range.start + (/^\s*/.exec(text)![0].match(/\n/g) ?? []).length, whole: true });
    } else if (splitter) {
      emit(splitter.end());
      splitter = undefined;
    }
  };
  for await (const block of readLines(file, hash)) {
    const t = block.text;
    let from = -1;
    eachLine(block, (a, _b, line) => {
      while (r < ranges.length && line >= ranges[r]!.end) {
        if (from >= 0) give(t.slice(from, a));
        from = -1;
        close();
        r++;
      }
      if (from < 0 && r < ranges.length && line >= ranges[r]!.start) from = a;
    });
    if (from >= 0) give(t.slice(from));
    if (out.length > 0) {
      const ready = out;
      out = [];
      yield* ready;
    }
  }
  while (r < ranges.length) {
    close();
    r++;
  }
  yield* out;
  if (hash.digest() !== loaded.checksum) throw changed(file);
}

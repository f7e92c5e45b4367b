/**
 * The chained sum file `godwit.sum`, kept next to the migrations and committed with them:
 *
 *   godwit.sum v1 3 <total>
 *   0001_create_users.sql <h1>
 *   0002_add_name.up.sql <h2>
 *   0002_add_name.down.sql <h3>
 *
 * One line per migration file (both halves of a golang-migrate pair), in version order, the up
 * half before the down. Each line's hash chains over everything before it:
 *
 *   h0 = ""            hi = sha256hex(h(i-1) + " " + fileName + " " + checksum(file i))
 *
 * and the header holds the file count and the total (the last hash; sha256("") for no files).
 * Because each new migration changes the header and appends at the same place, two branches that
 * each add a migration conflict in git instead of merging silently: whoever merges second must
 * renumber and regenerate (`godwit hash`). Written by `godwit new` and `godwit hash` (the CLI
 * writes the text produced here); verified before runs when present.
 *
 * Verification is local per line: line i is checked against the sum's own line i-1, so an edited
 * file is reported alone, and a hand-edited hash also breaks the next line and the header.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { IntegrityError, messageOf } from '../core/errors.js';
import { checksumOf, sha256Hex } from './checksum.js';
import { checksumOfFile, LARGE_FILE_BYTES } from './large-file.js';
import { mapLimit } from './map-limit.js';
import type { MigrationRef } from './migration.js';
import { SUM_FILE_NAME } from './naming.js';

export { SUM_FILE_NAME };

/** One migration file and its checksum (see `checksum.ts`), in folder order. */
export interface SumEntry {
  readonly fileName: string;
  readonly checksum: string;
}

export interface SumLine {
  readonly fileName: string;
  /** The chained hash. */
  readonly hash: string;
}

export interface SumFile {
  readonly count: number;
  readonly total: string;
  readonly lines: readonly SumLine[];
}

export type SumProblem =
  | { readonly kind: 'added'; readonly file: string; readonly message: string }
  | { readonly kind: 'removed'; readonly file: string; readonly message: string }
  | { readonly kind: 'edited'; readonly file: string; readonly message: string }
  | { readonly kind: 'reordered'; readonly file: string; readonly message: string }
  | { readonly kind: 'corrupt'; readonly file: string; readonly message: string };

const HEADER = 'godwit.sum v1';
const EMPTY_TOTAL = sha256Hex('');
const HEX64 = /^[0-9a-f]{64}$/;

function chain(prev: string, fileName: string, checksum: string): string {
  return sha256Hex(`${prev} ${fileName} ${checksum}`);
}

/** The sum of entries given in folder order. Pure. */
export function computeSumFile(entries: readonly SumEntry[]): SumFile {
  const lines: SumLine[] = [];
  let prev = '';
  for (const e of entries) {
    prev = chain(prev, e.fileName, e.checksum);
    lines.push({ fileName: e.fileName, hash: prev });
  }
  return { count: lines.length, total: lines.length ? prev : EMPTY_TOTAL, lines };
}

/** The file's text (LF line endings, trailing newline). */
export function formatSumFile(sum: SumFile): string {
  return `${HEADER} ${sum.count} ${sum.total}\n${sum.lines.map((l) => `${l.fileName} ${l.hash}\n`).join('')}`;
}

/**
 * Parse the file's text. Throws `IntegrityError` naming the line for text that is not a sum file
 * (including git conflict markers). Does not check the chain: see `checkSumFile`.
 */
export function parseSumFile(text: string, file = SUM_FILE_NAME): SumFile {
  const rows = text.replace(/\r\n?/g, '\n').split('\n');
  if (rows[rows.length - 1] === '') rows.pop();
  const bad = (i: number, why: string): IntegrityError => new IntegrityError(`${file}:${i + 1}: ${why}`, { file, line: i + 1 });
  const conflict = rows.findIndex((r) => /^(<{7}|={7}|>{7})( |$)/.test(r));
  if (conflict >= 0) {
    throw bad(
      conflict,
      'git conflict markers: two branches each added migrations. Keep both migration files, give the ones from your branch versions above the others, then run "godwit hash" to rewrite godwit.sum.',
    );
  }
  const h = /^godwit\.sum v1 (\d+) ([0-9a-f]{64})$/.exec(rows[0] ?? '');
  if (!h) throw bad(0, `the first line must be "${HEADER} <count> <total>" (the file was edited by hand?). Run "godwit hash" to rewrite it.`);
  const lines: SumLine[] = [];
  for (let i = 1; i < rows.length; i++) {
    const m = /^(\S+) (\S+)$/.exec(rows[i]!);
    if (!m || !HEX64.test(m[2]!)) throw bad(i, `expected "<file name> <sha256 hex>", found "${rows[i]}". Run "godwit hash" to rewrite godwit.sum.`);
    lines.push({ fileName: m[1]!, hash: m[2]! });
  }
  return { count: Number(h[1]), total: h[2]!, lines };
}

/**
 * Compare the folder's entries (in folder order) with a sum file's text. Pure. Returns one
 * problem per finding, each naming the file; an empty list means they match.
 */
export function checkSumFile(entries: readonly SumEntry[], text: string, file = SUM_FILE_NAME): SumProblem[] {
  let sum: SumFile;
  try {
    sum = parseSumFile(text, file);
  } catch (e) {
    return [{ kind: 'corrupt', file, message: messageOf(e) }];
  }
  const problems: SumProblem[] = [];
  if (sum.count !== sum.lines.length || sum.total !== (sum.lines.length ? sum.lines[sum.lines.length - 1]!.hash : EMPTY_TOTAL)) {
    problems.push({ kind: 'corrupt', file, message: `${file}: the header does not match the lines below it (edited by hand?).` });
  }
  const actual = new Map(entries.map((e) => [e.fileName, e.checksum]));
  const listed = new Set<string>();
  for (let i = 0; i < sum.lines.length; i++) {
    const l = sum.lines[i]!;
    if (listed.has(l.fileName)) {
      problems.push({ kind: 'corrupt', file, message: `${file}:${i + 2}: ${l.fileName} is listed twice.` });
      continue;
    }
    listed.add(l.fileName);
    const cs = actual.get(l.fileName);
    if (cs === undefined) {
      problems.push({ kind: 'removed', file: l.fileName, message: `${l.fileName} is listed in ${file} but is not in the folder (removed or renamed).` });
      continue;
    }
    const prev = i === 0 ? '' : sum.lines[i - 1]!.hash;
    if (chain(prev, l.fileName, cs) !== l.hash) {
      problems.push({ kind: 'edited', file: l.fileName, message: `${l.fileName} changed since ${file} was written (or its line in ${file} was edited by hand).` });
    }
  }
  for (const e of entries) {
    if (!listed.has(e.fileName)) {
      problems.push({ kind: 'added', file: e.fileName, message: `${e.fileName} is not in ${file} (added without "godwit new" or "godwit hash").` });
    }
  }
  const inFolder = entries.map((e) => e.fileName).filter((n) => listed.has(n));
  const inSum = sum.lines.map((l) => l.fileName).filter((n) => actual.has(n));
  const at = inFolder.findIndex((n, i) => inSum[i] !== n);
  if (at >= 0) {
    problems.push({
      kind: 'reordered',
      file: inFolder[at]!,
      message: `${file} lists the migrations in another order than the folder (first difference: ${inFolder[at]} vs ${inSum[at]}).`,
    });
  }
  return problems;
}

/** The files of refs in sum order: each ref's up file, then its down file. */
export function sumFilesOf(refs: readonly MigrationRef[]): string[] {
  const sorted = [...refs].sort((a, b) => a.version - b.version);
  return sorted.flatMap((r) => (r.downFile ? [r.upFile, r.downFile] : [r.upFile]));
}

/** Read and checksum every file of the refs (fs sources). */
export async function sumEntriesOf(refs: readonly MigrationRef[]): Promise<SumEntry[]> {
  // Files above the large-file threshold are hashed a chunk at a time, never held whole.
  const checksum = async (path: string): Promise<string> => ((await stat(path)).size > LARGE_FILE_BYTES ? checksumOfFile(path) : checksumOf(await readFile(path)));
  return mapLimit(sumFilesOf(refs), 32, async (path) => ({ fileName: basename(path), checksum: await checksum(path) }));
}

/** The text of `godwit.sum` for these refs (the CLI writes it to `join(dir, SUM_FILE_NAME)`). */
export async function renderSumFile(refs: readonly MigrationRef[]): Promise<string> {
  return formatSumFile(computeSumFile(await sumEntriesOf(refs)));
}

/** The sum file's text, or undefined when the folder has none. */
export async function readSumFile(dir: string): Promise<string | undefined> {
  try {
    return await readFile(join(dir, SUM_FILE_NAME), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new IntegrityError(`cannot read ${join(dir, SUM_FILE_NAME)}: ${messageOf(e)}`, { file: join(dir, SUM_FILE_NAME) });
  }
}

/**
 * Verify `godwit.sum` in `dir` against the listed refs. Returns one message per problem (empty when
 * they match or when the folder has no sum file); the caller throws `IntegrityError` (exit 6).
 */
export async function verifySumFile(dir: string, refs: readonly MigrationRef[]): Promise<string[]> {
  const text = await readSumFile(dir);
  if (text === undefined) return [];
  return checkSumFile(await sumEntriesOf(refs), text).map((p) => p.message);
}

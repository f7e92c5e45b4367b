/**
 * Parse a single `.sql` migration file, detecting its format from its markers:
 *
 *   goose    a `-- +goose ...` annotation          (formats/goose.ts)
 *   dbmate   a `-- migrate:up` / `-- migrate:down`  (formats/dbmate.ts)
 *   godwit   `-- godwit:up` / `-- godwit:down`, or no marker at all (formats/godwit.ts)
 *
 * golang-migrate pairs are recognised by their file names (`.up.sql`/`.down.sql`), not here: see
 * `parseSqlPair`. A file that mixes the markers of two formats is refused. `godwit:` directives
 * (`no-transaction`, `phase`, `lint-ignore`) work in every format. Pure: text in, segments out;
 * throws `BadMigrationError` naming the file and line.
 */
import { BadMigrationError } from '../core/errors.js';
import { decodeMigrationText } from './decode-text.js';
import { DBMATE_MARKER_RE, parseDbmateSql } from './formats/dbmate.js';
import { combinePair, parsePairHalf } from './formats/golang-migrate.js';
import { parseGodwitSql } from './formats/godwit.js';
import { GOOSE_ANNOTATION_RE, parseGooseSql } from './formats/goose.js';
import type { ParsedSqlFile } from './formats/parsed-sql-file.js';
import { splitLines } from './sql-text.js';

export type { ParsedSqlFile } from './formats/parsed-sql-file.js';

export type SingleSqlFormat = 'godwit' | 'goose' | 'dbmate';

const GODWIT_MARKER_RE = /^\s*--\s*godwit:(up|down)\s*$/;

/** Which single-file format the lines follow (`godwit` when there is no marker at all). */
export function detectSqlFormat(file: string, lines: readonly string[]): SingleSqlFormat {
  const first = new Map<SingleSqlFormat, number>();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.includes('--')) continue;
    let f: SingleSqlFormat | undefined;
    if (GOOSE_ANNOTATION_RE.test(line)) f = 'goose';
    else if (DBMATE_MARKER_RE.test(line)) f = 'dbmate';
    else if (GODWIT_MARKER_RE.test(line)) f = 'godwit';
    if (f && !first.has(f)) first.set(f, i + 1);
  }
  if (first.size > 1) {
    const [a, b] = [...first.entries()];
    throw new BadMigrationError(
      `${file}:${b![1]}: the file mixes ${a![0]} markers (line ${a![1]}) with ${b![0]} markers (line ${b![1]}). Use one format per file.`,
      { file, line: b![1] },
    );
  }
  return first.keys().next().value ?? 'godwit';
}

/** Parse a single `.sql` file's text (LF line endings). */
export function parseSqlText(file: string, text: string): ParsedSqlFile {
  return parseSqlLines(file, splitLines(text));
}

/** Parse a single `.sql` file given as its lines (the large-file path passes a line skeleton). */
export function parseSqlLines(file: string, lines: readonly string[]): ParsedSqlFile {
  switch (detectSqlFormat(file, lines)) {
    case 'goose':
      return parseGooseSql(file, lines);
    case 'dbmate':
      return parseDbmateSql(file, lines);
    case 'godwit':
      return parseGodwitSql(file, lines);
  }
}

/** Decode (strict UTF-8) and parse a single `.sql` file. */
export function parseSqlFile(file: string, bytes: Uint8Array): ParsedSqlFile {
  return parseSqlText(file, decodeMigrationText(bytes, file));
}

/** Decode and parse a golang-migrate pair; `down` is absent when there is no `.down.sql`. */
export function parseSqlPair(up: { file: string; bytes: Uint8Array }, down?: { file: string; bytes: Uint8Array }): ParsedSqlFile {
  const u = parsePairHalf(up.file, splitLines(decodeMigrationText(up.bytes, up.file)), 'up');
  const d = down ? parsePairHalf(down.file, splitLines(decodeMigrationText(down.bytes, down.file)), 'down') : undefined;
  return combinePair(u, d);
}

/**
 * dbmate SQL files (https://github.com/amacneil/dbmate):
 *
 *   -- migrate:up transaction:false
 *   CREATE INDEX CONCURRENTLY ...;
 *   -- migrate:down
 *   DROP INDEX ...;
 *
 * Options after a marker are `key:value` words; the one dbmate defines, `transaction:true|false`,
 * is read per direction (the up's becomes `transaction`, a different down's `downTransaction`).
 * Refused, as dbmate refuses them: SQL before `-- migrate:up`, down before up, a marker twice, a
 * missing up marker; and, for typo safety, unknown markers and options.
 */
import { BadMigrationError } from '../../core/errors.js';
import { DirectiveCollector, matchDirective } from '../directives.js';
import type { SqlSegment } from '../migration.js';
import { hasSql, segmentOfLines } from '../sql-text.js';
import { emptyUpError, type ParsedSqlFile } from './parsed-sql-file.js';

/** A dbmate marker line (what makes a file a dbmate file). */
export const DBMATE_MARKER_RE = /^\s*--\s*migrate:(?:up|down)(?:\s|$)/;
/** Any `-- migrate:<word>` line inside a dbmate file (unknown words are refused there). */
const MARKER_LINE_RE = /^\s*--\s*migrate:(\w+)(.*)$/;

export function parseDbmateSql(file: string, lines: readonly string[]): ParsedSqlFile {
  const collector = new DirectiveCollector(file);
  const bad = (i: number, msg: string): BadMigrationError => new BadMigrationError(`${file}:${i + 1}: ${msg}`, { file, line: i + 1 });
  let upAt = -1;
  let downAt = -1;
  let upTx = true;
  let downTx = true;

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = MARKER_LINE_RE.exec(line);
    if (!m) {
      const d = matchDirective(line, 'sql', file, i + 1);
      if (d) collector.add(d);
      continue;
    }
    const marker = m[1]!;
    if (marker !== 'up' && marker !== 'down') {
      throw bad(i, `unknown dbmate marker "${line.trim()}". Use "-- migrate:up" and "-- migrate:down".`);
    }
    const tx = readOptions(m[2]!, (msg) => bad(i, msg));
    if (marker === 'up') {
      if (upAt >= 0) throw bad(i, `"-- migrate:up" appears twice (lines ${upAt + 1} and ${i + 1}).`);
      if (downAt >= 0) throw bad(i, `"-- migrate:up" comes after "-- migrate:down" (line ${downAt + 1}). Put the up section first.`);
      if (hasSql(lines.slice(0, i).join('\n'))) throw bad(i, 'SQL before "-- migrate:up": dbmate files must start with the up section (comments are fine).');
      upAt = i;
      upTx = tx;
    } else {
      if (downAt >= 0) throw bad(i, `"-- migrate:down" appears twice (lines ${downAt + 1} and ${i + 1}).`);
      if (upAt < 0) throw bad(i, '"-- migrate:down" comes before "-- migrate:up". Put the up section first.');
      downAt = i;
      downTx = tx;
    }
  }
  if (upAt < 0) throw new BadMigrationError(`${file}: a dbmate file needs a "-- migrate:up" line before its SQL.`, { file });

  const up: SqlSegment[] = [];
  const s = segmentOfLines(lines, upAt + 1, downAt >= 0 ? downAt : lines.length, false);
  if (s) up.push(s);
  if (up.length === 0) throw emptyUpError(file, upAt + 1, 'Write the SQL to apply after "-- migrate:up".');
  let down: SqlSegment[] | undefined;
  if (downAt >= 0) {
    down = [];
    const d = segmentOfLines(lines, downAt + 1, lines.length, false);
    if (d) down.push(d);
  }
  const transaction = upTx && !collector.noTransaction;
  const downTransaction = downTx && !collector.noTransaction;
  return {
    format: 'dbmate',
    up,
    down,
    transaction,
    ...(downTransaction !== transaction ? { downTransaction } : {}),
    phase: collector.phase,
    directives: collector.directives,
  };
}

/** dbmate marker options: whitespace-separated `key:value`; returns the transaction flag. */
function readOptions(text: string, bad: (msg: string) => BadMigrationError): boolean {
  let tx = true;
  for (const word of text.trim().split(/\s+/).filter(Boolean)) {
    const m = /^([A-Za-z_]+):(.*)$/.exec(word);
    if (!m) throw bad(`bad dbmate option "${word}": options are key:value, e.g. transaction:false.`);
    if (m[1] !== 'transaction') throw bad(`unknown dbmate option "${m[1]}": the only option is transaction:true|false.`);
    if (m[2] !== 'true' && m[2] !== 'false') throw bad(`bad value "${m[2]}" for transaction: write transaction:true or transaction:false.`);
    tx = m[2] === 'true';
  }
  return tx;
}

/**
 * goose SQL files (https://github.com/pressly/goose):
 *
 *   -- +goose Up
 *   -- +goose StatementBegin
 *   CREATE FUNCTION ... $$ ... $$;       (one statement, never split)
 *   -- +goose StatementEnd
 *   -- +goose Down
 *   DROP FUNCTION ...;
 *
 * Annotations are case-insensitive: Up, Down, StatementBegin, StatementEnd, NO TRANSACTION.
 * StatementBegin/End blocks become atomic segments; SQL between blocks is split by the dialect.
 * Refused, as goose refuses them: SQL before `-- +goose Up`, Down before Up, an annotation twice,
 * StatementBegin without StatementEnd (or the reverse), unknown annotations. `ENVSUB ON` is
 * refused too: Godwit never substitutes environment variables into SQL.
 */
import { BadMigrationError } from '../../core/errors.js';
import { DirectiveCollector, matchDirective } from '../directives.js';
import type { SqlSegment } from '../migration.js';
import { hasSql, segmentOfLines } from '../sql-text.js';
import { emptyUpError, type ParsedSqlFile } from './parsed-sql-file.js';

export const GOOSE_ANNOTATION_RE = /^\s*--\s*\+goose(?:\s+(.*?))?\s*$/i;

export function parseGooseSql(file: string, lines: readonly string[]): ParsedSqlFile {
  const collector = new DirectiveCollector(file);
  const bad = (i: number, msg: string): BadMigrationError => new BadMigrationError(`${file}:${i + 1}: ${msg}`, { file, line: i + 1 });
  let noTransaction = false;
  let state: 'start' | 'up' | 'down' = 'start';
  let upAt = -1;
  let downAt = -1;
  let blockAt = -1;
  let runStart = 0;
  const up: SqlSegment[] = [];
  let down: SqlSegment[] | undefined;
  const section = (): SqlSegment[] => (state === 'down' ? down! : up);
  const flush = (end: number): void => {
    if (state !== 'start') {
      const s = segmentOfLines(lines, runStart, end, false);
      if (s) section().push(s);
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const a = GOOSE_ANNOTATION_RE.exec(line);
    if (!a) {
      const d = matchDirective(line, 'sql', file, i + 1);
      if (d) collector.add(d);
      continue;
    }
    const cmd = (a[1] ?? '').replace(/\s+/g, ' ').toLowerCase();
    switch (cmd) {
      case 'up':
        if (state === 'up') throw bad(i, `"-- +goose Up" appears twice (lines ${upAt + 1} and ${i + 1}).`);
        if (state === 'down') throw bad(i, `"-- +goose Up" comes after "-- +goose Down" (line ${downAt + 1}). Put the Up section first.`);
        if (hasSql(lines.slice(0, i).join('\n'))) {
          throw bad(i, 'SQL before "-- +goose Up": goose files must start with the Up section (comments are fine).');
        }
        state = 'up';
        upAt = i;
        runStart = i + 1;
        break;
      case 'down':
        if (blockAt >= 0) throw bad(i, `"-- +goose Down" inside the StatementBegin block of line ${blockAt + 1}: add "-- +goose StatementEnd" first.`);
        if (state === 'start') throw bad(i, '"-- +goose Down" comes before "-- +goose Up". Put the Up section first.');
        if (state === 'down') throw bad(i, `"-- +goose Down" appears twice (lines ${downAt + 1} and ${i + 1}).`);
        flush(i);
        state = 'down';
        down = [];
        downAt = i;
        runStart = i + 1;
        break;
      case 'statementbegin':
        if (state === 'start') throw bad(i, '"-- +goose StatementBegin" before "-- +goose Up".');
        if (blockAt >= 0) throw bad(i, `"-- +goose StatementBegin" inside the block opened on line ${blockAt + 1}: add "-- +goose StatementEnd" first.`);
        flush(i);
        blockAt = i;
        break;
      case 'statementend': {
        if (blockAt < 0) throw bad(i, '"-- +goose StatementEnd" without a "-- +goose StatementBegin" before it.');
        const s = segmentOfLines(lines, blockAt + 1, i, true);
        if (s) section().push(s);
        blockAt = -1;
        runStart = i + 1;
        break;
      }
      case 'no transaction':
        noTransaction = true;
        break;
      case 'envsub on':
      case 'envsub off':
        throw bad(i, `"-- +goose ${a[1]}" is not supported: Godwit never substitutes environment variables into SQL. Write the values into the file.`);
      default:
        throw bad(i, `unknown goose annotation "${line.trim()}". Known: Up, Down, StatementBegin, StatementEnd, NO TRANSACTION.`);
    }
  }
  if (blockAt >= 0) throw bad(blockAt, '"-- +goose StatementBegin" has no "-- +goose StatementEnd".');
  if (state === 'start') {
    throw new BadMigrationError(`${file}: a goose file needs a "-- +goose Up" line before its SQL.`, { file });
  }
  flush(lines.length);
  if (up.length === 0) throw emptyUpError(file, upAt + 1, 'Write the SQL to apply after "-- +goose Up".');
  return {
    format: 'goose',
    up,
    down,
    transaction: !(noTransaction || collector.noTransaction),
    phase: collector.phase,
    directives: collector.directives,
  };
}

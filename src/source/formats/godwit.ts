/**
 * The native single-file format:
 *
 *   -- godwit:no-transaction        (optional, anywhere)
 *   -- godwit:phase post            (optional, anywhere)
 *   -- godwit:up
 *   CREATE TABLE ...;
 *   -- godwit:down
 *   DROP TABLE ...;
 *
 * Everything before the first marker is up; a file with no marker is all up. Refused: a down
 * marker before the up marker, a marker given twice, an up section without SQL.
 */
import { BadMigrationError } from '../../core/errors.js';
import { DirectiveCollector, matchDirective } from '../directives.js';
import type { SqlSegment } from '../migration.js';
import { segmentOfLines } from '../sql-text.js';
import { emptyUpError, type ParsedSqlFile } from './parsed-sql-file.js';

export function parseGodwitSql(file: string, lines: readonly string[]): ParsedSqlFile {
  const collector = new DirectiveCollector(file);
  let upAt: number | undefined;
  let downAt: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const d = matchDirective(lines[i]!, 'sql', file, i + 1);
    if (!d) continue;
    if (d.name === 'up') {
      if (upAt !== undefined) throw duplicate(file, 'up', upAt, i);
      if (downAt !== undefined) {
        throw new BadMigrationError(
          `${file}:${i + 1}: "-- godwit:up" comes after "-- godwit:down" (line ${downAt + 1}). Put the up section first.`,
          { file, line: i + 1 },
        );
      }
      upAt = i;
    } else if (d.name === 'down') {
      if (downAt !== undefined) throw duplicate(file, 'down', downAt, i);
      downAt = i;
    }
    collector.add(d);
  }

  const upEnd = downAt ?? lines.length;
  const up: SqlSegment[] = [];
  const pushIf = (into: SqlSegment[], s: SqlSegment | undefined): void => {
    if (s) into.push(s);
  };
  if (upAt === undefined) pushIf(up, segmentOfLines(lines, 0, upEnd, false));
  else {
    pushIf(up, segmentOfLines(lines, 0, upAt, false));
    pushIf(up, segmentOfLines(lines, upAt + 1, upEnd, false));
  }
  if (up.length === 0) {
    throw emptyUpError(file, upAt === undefined ? 1 : upAt + 1, 'Write the SQL to apply after "-- godwit:up".');
  }
  let down: SqlSegment[] | undefined;
  if (downAt !== undefined) {
    down = [];
    pushIf(down, segmentOfLines(lines, downAt + 1, lines.length, false));
  }
  return { format: 'godwit', up, down, transaction: !collector.noTransaction, phase: collector.phase, directives: collector.directives };
}

function duplicate(file: string, marker: string, first: number, again: number): BadMigrationError {
  return new BadMigrationError(
    `${file}:${again + 1}: "-- godwit:${marker}" appears twice (lines ${first + 1} and ${again + 1}). A file has one up and at most one down section.`,
    { file, line: again + 1 },
  );
}

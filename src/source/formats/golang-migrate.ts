/**
 * golang-migrate pairs (https://github.com/golang-migrate/migrate): `<v>_<name>.up.sql` and
 * `<v>_<name>.down.sql`, plain SQL with no markers. Each half is parsed on its own; `godwit:`
 * directives other than the section markers work in them (`no-transaction` in the down file
 * applies to the down only; `phase` belongs in the up file).
 */
import { BadMigrationError } from '../../core/errors.js';
import { DirectiveCollector, matchDirective } from '../directives.js';
import type { SqlSegment } from '../migration.js';
import { segmentOfLines } from '../sql-text.js';
import { emptyUpError, type ParsedSqlFile } from './parsed-sql-file.js';

export interface PairHalf {
  readonly segments: readonly SqlSegment[];
  readonly collector: DirectiveCollector;
}

export function parsePairHalf(file: string, lines: readonly string[], half: 'up' | 'down'): PairHalf {
  const collector = new DirectiveCollector(file);
  for (let i = 0; i < lines.length; i++) {
    const d = matchDirective(lines[i]!, 'sql', file, i + 1);
    if (!d) continue;
    if (d.name === 'up' || d.name === 'down') {
      throw new BadMigrationError(
        `${file}:${i + 1}: "-- godwit:${d.name}" has no place in a golang-migrate .${half}.sql file: the file name already says the direction. Remove the line.`,
        { file, line: i + 1 },
      );
    }
    if (d.name === 'phase' && half === 'down') {
      throw new BadMigrationError(`${file}:${i + 1}: "-- godwit:phase" belongs in the .up.sql file of the pair.`, { file, line: i + 1 });
    }
    collector.add(d);
  }
  const s = segmentOfLines(lines, 0, lines.length, false);
  const segments = s ? [s] : [];
  if (half === 'up' && segments.length === 0) throw emptyUpError(file, 1, 'Write the SQL to apply in the .up.sql file.');
  return { segments, collector };
}

/** Combine the two halves of a pair (the down is optional: a pair may have no .down.sql file). */
export function combinePair(up: PairHalf, down: PairHalf | undefined): ParsedSqlFile {
  const transaction = !up.collector.noTransaction;
  const downTransaction = down ? !down.collector.noTransaction && transaction : transaction;
  return {
    format: 'golang-migrate',
    up: up.segments,
    down: down?.segments,
    transaction,
    ...(down && downTransaction !== transaction ? { downTransaction } : {}),
    phase: up.collector.phase,
    directives: [...up.collector.directives, ...(down?.collector.directives ?? [])],
  };
}

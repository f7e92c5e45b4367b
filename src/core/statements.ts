/**
 * Turn a migration body's segments into statements placed in their file, using the dialect's
 * splitter for non-atomic segments; and map a database error position back to a file line.
 */
import { BadMigrationError, isGodwitError, messageOf } from './errors.js';
import type { Dialect } from '../dialect/dialect.js';
import { DatabaseError } from '../dialect/driver.js';
import type { SqlSegment, Statement } from '../source/migration.js';

export async function statementsOf(dialect: Dialect, file: string, segments: readonly SqlSegment[]): Promise<Statement[]> {
  const out: Statement[] = [];
  await dialect.prepare?.();
  for (const seg of segments) {
    if (seg.atomic) {
      const sql = seg.text.trim().replace(/;\s*$/, '');
      if (sql) out.push({ sql, file, line: seg.line + leadingLines(seg.text) });
      continue;
    }
    let parts;
    try {
      parts = await dialect.splitStatements(seg.text);
    } catch (e) {
      const msg = messageOf(e);
      const facts = isGodwitError(e) ? e.facts : {};
      const rel = typeof facts.line === 'number' ? facts.line : undefined;
      const line = rel !== undefined ? seg.line + rel - 1 : seg.line;
      throw new BadMigrationError(`${file}:${line}: ${msg}`, { file, line });
    }
    for (const p of parts) out.push({ sql: p.sql, file, line: seg.line + p.lineOffset });
  }
  return out;
}

function leadingLines(text: string): number {
  const m = /^\s*/.exec(text);
  return m ? (m[0].match(/\n/g) ?? []).length : 0;
}

/** The file line a database error points at: statement start + the error's offset within it. */
export function errorLine(stmt: Statement, error: unknown): number {
  if (error instanceof DatabaseError) {
    if (error.position !== undefined && error.position > 0) {
      const before = stmt.sql.slice(0, error.position - 1);
      return stmt.line + (before.match(/\n/g) ?? []).length;
    }
    if (error.lineInStatement !== undefined && error.lineInStatement > 0) return stmt.line + error.lineInStatement - 1;
  }
  return stmt.line;
}

/** First line of a statement, shortened, for messages. */
export function excerpt(sql: string, max = 120): string {
  const one = sql.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/**
 * Turn a migration body's segments into statements placed in their file, using the dialect's
 * splitter for non-atomic segments; and map a database error position back to a file line.
 */
import { BadMigrationError, isGodwitError, messageOf } from './errors.js';
import type { Dialect } from '../dialect/dialect.js';
import { DatabaseError } from '../dialect/driver.js';
import type { SqlSegment, SqlStreamBody, Statement } from '../source/migration.js';

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

/**
 * A large file's statements, one at a time (`SqlStreamBody`). With `reparse` (the default), each
 * statement the streaming lexer cut is split again by the dialect's own splitter (PostgreSQL: the
 * real parser), so what runs is what `statementsOf` would give for the same text, and a cut the
 * lexer got wrong is refused (`BadMigrationError` with file:line) instead of run; `onChanged` is
 * called when the dialect's splitter did not give back exactly the lexer's statement. A caller that
 * saw a whole pass without `onChanged` may pass `reparse: false` for later passes over the same
 * bytes (the body checks they are the same). Statements ended by a MySQL `DELIMITER` are passed as
 * they are, as are goose StatementBegin/End blocks (`whole`: splitting them again would break them).
 * Nothing is kept.
 */
export async function* streamStatementsOf(dialect: Dialect, body: SqlStreamBody, options: { reparse?: boolean; onChanged?: () => void } = {}): AsyncGenerator<Statement> {
  await dialect.prepare?.();
  const reparse = options.reparse ?? true;
  for await (const s of body.statements(dialect.name)) {
    if (s.whole || !reparse) {
      yield { sql: s.sql, file: s.file, line: s.line };
      continue;
    }
    let parts;
    try {
      parts = await dialect.splitStatements(s.sql);
    } catch (e) {
      const facts = isGodwitError(e) ? e.facts : {};
      const line = typeof facts.line === 'number' ? s.line + facts.line - 1 : s.line;
      throw new BadMigrationError(`${s.file}:${line}: ${messageOf(e)}`, { file: s.file, line });
    }
    if (parts.length !== 1 || parts[0]!.sql !== s.sql || parts[0]!.lineOffset !== 0) options.onChanged?.();
    for (const p of parts) yield { sql: p.sql, file: s.file, line: s.line + p.lineOffset };
  }
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

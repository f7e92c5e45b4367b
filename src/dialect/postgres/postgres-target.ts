/**
 * Resolve the configured history table (`table`, `schema.table`, with PostgreSQL's identifier
 * rules: unquoted names fold to lower case, `"Quoted"` names keep their case and may contain
 * dots) to a full target: database = current_database(), schema = the given one or
 * current_schema() (the first existing schema on the search_path).
 */
import { ConfigError } from '../../core/errors.js';
import { splitQualifiedName } from '../../sql/qualified-name.js';
import type { Connection } from '../driver.js';
import type { Target } from '../target.js';

/** Split a possibly schema-qualified, possibly quoted name into its parts. Throws ConfigError. */
export function parseQualifiedName(text: string): string[] {
  const parts = splitQualifiedName(text, {
    quote: '"',
    bare: /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/,
    fold: (bare) => bare.toLowerCase(),
    hint: 'Use table or schema.table (quote with "double quotes" to keep upper case or special characters).',
  });
  const bad = (why: string) => new ConfigError(`Bad history table name "${text}": ${why}.`);
  if (parts.length > 2) throw bad('too many dots');
  for (const p of parts) if (Buffer.byteLength(p) > 63) throw bad(`"${p}" is longer than PostgreSQL's 63-byte limit`);
  return parts;
}

export async function resolvePostgresTarget(conn: Connection, table: string): Promise<Target> {
  const parts = parseQualifiedName(table);
  // to_regclass answers NULL (no error) for a missing table or schema.
  const rows = await conn.query<{ db: string; schema: string | null; found: boolean | null }>(
    "SELECT current_database() AS db, current_schema() AS schema, CASE WHEN coalesce($1::text, current_schema()) IS NULL THEN false ELSE to_regclass(format('%I.%I', coalesce($1::text, current_schema()), $2::text)) IS NOT NULL END AS found",
    [parts.length === 2 ? parts[0]! : null, parts[parts.length - 1]!],
  );
  const r = rows[0];
  const schema = parts.length === 2 ? parts[0]! : (r?.schema ?? null);
  if (!r || !schema) {
    throw new ConfigError(
      `No schema for the history table "${table}": the search_path names no existing schema. Qualify it (e.g. --table public.${parts[parts.length - 1]}) or create the schema.`,
    );
  }
  const target = { database: r.db, schema, table: parts[parts.length - 1]! };
  // Not enumerable: a target still compares (and spreads, and prints) as database/schema/table.
  Object.defineProperty(target, 'historyExists', { value: r.found === true, enumerable: false });
  return Object.freeze(target);
}

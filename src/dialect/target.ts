/**
 * The thing a migration run is about: one history table in one database (and schema).
 * The lock key is derived from it, so two apps with separate history tables never block each other.
 */
export interface Target {
  /** Database name (SQLite: the absolute file path, or ':memory:'). */
  readonly database: string;
  /** Schema (PostgreSQL); undefined where the dialect has none. */
  readonly schema: string | undefined;
  /** History table name, unqualified. */
  readonly table: string;
}

/** The stable text the lock key is hashed from. Never change it: old and new releases must exclude each other. */
export function targetKeyText(t: Target): string {
  return `godwit\u0000${t.database}\u0000${t.schema ?? ''}\u0000${t.table}`;
}

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
  /**
   * Whether the history table existed when the target was resolved, where the dialect learns it in
   * the same round trip (PostgreSQL). `false` lets the first history read of a run skip a SELECT
   * that would only fail (and log an ERROR on the server); undefined: unknown, read it.
   * Not part of the lock key, and not enumerable (targets compare as database/schema/table).
   */
  readonly historyExists?: boolean;
}

/** The stable text the lock key is hashed from. Never change it: old and new releases must exclude each other. */
export function targetKeyText(t: Target): string {
  return `godwit\u0000${t.database}\u0000${t.schema ?? ''}\u0000${t.table}`;
}

/**
 * Leave tables out of a snapshot, with what belongs to them (their sequences): used to hide
 * Godwit's own history, events and lease tables, which change with every migration. Pure.
 */
import type { SchemaSnapshot } from './schema-snapshot.js';

/**
 * A snapshot without the tables `names` in `schema` (any schema when undefined), and without the
 * sequences those tables' columns own (serial / identity).
 */
export function withoutTables(snapshot: SchemaSnapshot, schema: string | undefined, names: readonly string[]): SchemaSnapshot {
  const drop = new Set(names);
  const hit = (s: string, name: string) => drop.has(name) && (schema === undefined || s === schema);
  return {
    ...snapshot,
    tables: snapshot.tables.filter((t) => !hit(t.schema, t.name)),
    sequences: snapshot.sequences.filter((s) => !(s.ownedBy && hit(s.schema, s.ownedBy.table))),
  };
}

/**
 * The neutral schema model: what a database's catalog says about the objects a migration can
 * create, in one shape for PostgreSQL, MySQL/MariaDB and SQLite. Produced by each dialect's
 * `inspectSchema(conn)` (src/dialect/<engine>/<engine>-inspector.ts), compared by `diffSchemas`.
 *
 * Conventions, so that two snapshots of the same schema are equal and a real difference shows:
 * - every list is sorted by name (columns by position), so order of creation does not matter;
 * - types are the engine's canonical spelling, shortened where PostgreSQL is verbose
 *   (`character varying(100)` -> `varchar(100)`, see `shortPostgresType`); SQLite's declared types
 *   are lower-cased;
 * - SQL text (view definitions, routine bodies, check expressions, trigger bodies) is normalised
 *   with `normalizeSql`: whitespace collapsed outside quotes, trailing `;` removed;
 * - `null` means "none" (no default, no predicate); never `undefined` for a known-absent value;
 * - data is never part of a snapshot (no row counts, no sequence positions, no AUTO_INCREMENT).
 */

export type SchemaEngine = 'postgres' | 'mysql' | 'sqlite';

export interface SchemaSnapshot {
  readonly engine: SchemaEngine;
  /**
   * The schema unqualified names live in (PostgreSQL: `current_schema()`, MySQL: the database,
   * SQLite: `main`). Objects in it are shown without a qualifier.
   */
  readonly defaultSchema: string;
  /** Schemas other than the system ones (PostgreSQL only; empty elsewhere). */
  readonly schemas: readonly string[];
  /** Installed extensions except `plpgsql` (PostgreSQL only). */
  readonly extensions: readonly ExtensionInfo[];
  readonly tables: readonly TableInfo[];
  /** Views and materialized views. */
  readonly views: readonly ViewInfo[];
  /** Functions, procedures, aggregates. */
  readonly routines: readonly RoutineInfo[];
  /** Stand-alone sequences (PostgreSQL, MariaDB); identity/serial sequences are listed with `ownedBy`. */
  readonly sequences: readonly SequenceInfo[];
  /** User-defined types: enums, domains, composite and range types (PostgreSQL). */
  readonly types: readonly TypeInfo[];
}

export interface ExtensionInfo {
  readonly name: string;
  readonly version: string;
}

export interface TableInfo {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly indexes: readonly IndexInfo[];
  readonly constraints: readonly ConstraintInfo[];
  readonly triggers: readonly TriggerInfo[];
  /**
   * Table-level settings that change what the table is, by name: `engine`, `collation` (MySQL),
   * `without rowid`, `strict` (SQLite), `partition by`, `row level security` (PostgreSQL).
   */
  readonly options: Readonly<Record<string, string>>;
}

export interface ColumnInfo {
  readonly name: string;
  /** 1-based position. Recorded, not compared: a column dropped and re-added lands last. */
  readonly position: number;
  readonly type: string;
  readonly nullable: boolean;
  /** The default expression as the catalog prints it, or null. */
  readonly default: string | null;
  /** Generated column: `<expression> stored|virtual`, or null. */
  readonly generated: string | null;
  /** Identity column (PostgreSQL `always` / `by default`, MySQL/SQLite `auto_increment`), or null. */
  readonly identity: string | null;
  /** A collation other than the table's/database's default, or null. */
  readonly collation: string | null;
}

export interface IndexInfo {
  readonly name: string;
  /** Key columns in order; expressions as the catalog prints them; ` DESC`, opclass or prefix length appended. */
  readonly columns: readonly string[];
  readonly unique: boolean;
  /** Access method (`btree`, `gin`, `hash`, `fulltext`, ...), or null where the engine has one kind. */
  readonly method: string | null;
  /** Partial index predicate, or null. */
  readonly where: string | null;
  /** Non-key INCLUDE columns (PostgreSQL). */
  readonly include: readonly string[];
  /** False for an index left INVALID by a failed CREATE INDEX CONCURRENTLY (PostgreSQL). */
  readonly valid: boolean;
}

export type ConstraintKind = 'primary key' | 'foreign key' | 'unique' | 'check' | 'exclude';

export interface ConstraintInfo {
  /** Null where the engine keeps no name (SQLite); such constraints are told apart by definition. */
  readonly name: string | null;
  readonly kind: ConstraintKind;
  readonly columns: readonly string[];
  /** The whole constraint as one normalised text, e.g. `FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`. */
  readonly definition: string;
  readonly references: ForeignKeyTarget | null;
}

export interface ForeignKeyTarget {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly string[];
  readonly onUpdate: string;
  readonly onDelete: string;
}

export interface TriggerInfo {
  readonly name: string;
  /** Timing, events, level and body (or the function it executes), normalised. */
  readonly definition: string;
}

export interface ViewInfo {
  readonly schema: string;
  readonly name: string;
  readonly materialized: boolean;
  readonly definition: string;
}

export type RoutineKind = 'function' | 'procedure' | 'aggregate' | 'window';

export interface RoutineInfo {
  readonly schema: string;
  readonly name: string;
  readonly kind: RoutineKind;
  /** Argument types (PostgreSQL: identity arguments), e.g. `integer, text`; overloads differ here. */
  readonly arguments: string;
  /** Return type, or null for procedures. */
  readonly returns: string | null;
  readonly language: string;
  /** Volatility, strictness, security, determinism..., as one space-separated text. */
  readonly attributes: string;
  /** The body, normalised. */
  readonly definition: string;
}

export interface SequenceInfo {
  readonly schema: string;
  readonly name: string;
  /** `as bigint start 1 increment 1 min 1 max ... cycle no`. */
  readonly definition: string;
  /** The column that owns the sequence (serial / identity), or null. */
  readonly ownedBy: { readonly table: string; readonly column: string } | null;
}

export interface TypeInfo {
  readonly schema: string;
  readonly name: string;
  readonly kind: 'enum' | 'domain' | 'composite' | 'range';
  /** Enum: `('a', 'b')`; domain: base type, default, NOT NULL, checks; composite: the attributes. */
  readonly definition: string;
}

/** An empty snapshot of an engine (a fresh database). */
export function emptySnapshot(engine: SchemaEngine, defaultSchema: string): SchemaSnapshot {
  return { engine, defaultSchema, schemas: [], extensions: [], tables: [], views: [], routines: [], sequences: [], types: [] };
}

/**
 * The dialect-neutral model the lint rules read. Each dialect's analyser (`postgres/`, `mysql/`,
 * `sqlite/`) turns one parsed statement into `Operation`s; the rules never see a parser's AST, so a
 * rule is written once and runs on every dialect whose analyser emits the operations it needs.
 *
 * `at` is the 0-based character offset of the operation inside the statement's SQL when the parser
 * reports one; the engine turns it into a file line and column.
 */

/** A table (or view) name as written; `schema` is absent when unqualified. */
export interface TableRef {
  readonly schema?: string;
  readonly name: string;
}

/** A column type as written, normalised by the dialect (`int4`, `varchar`, `numeric`). */
export interface TypeRef {
  /** Lower-case base type name without schema (PostgreSQL: the parser's canonical name). */
  readonly name: string;
  /** Type modifiers in order (`varchar(20)` -> [20], `numeric(10,2)` -> [10, 2]); [] when none. */
  readonly mods: readonly number[];
  readonly array: boolean;
  /** How to show it in a message (`varchar(20)`). */
  readonly text: string;
}

/** A column as defined by CREATE TABLE, ADD COLUMN or a MySQL MODIFY/CHANGE. */
export interface ColumnSpec {
  readonly name: string;
  readonly type?: TypeRef;
  readonly notNull: boolean;
  /** An explicit DEFAULT clause (a `DEFAULT NULL` counts as none). */
  readonly hasDefault: boolean;
  /** The database fills the value itself: identity, serial, AUTO_INCREMENT, generated column. */
  readonly autoFilled: boolean;
  /**
   * Why adding this column to an existing table rewrites it (PostgreSQL 11+): the volatile function
   * in its DEFAULT (`random()`), `serial`, an identity or a stored generated column. Absent when an
   * ADD COLUMN with this definition only touches the catalog.
   */
  readonly rewriteReason?: string;
}

/** What a constraint is, as far as the rules care. */
export type ConstraintKind = 'foreign-key' | 'check' | 'unique' | 'primary-key' | 'exclusion' | 'not-null';

export type Operation = (
  | { readonly kind: 'create-table'; readonly table: TableRef; readonly columns: readonly ColumnSpec[] }
  /** DROP SCHEMA, or DROP DATABASE on MySQL where a database is a schema. */
  | { readonly kind: 'drop-schema'; readonly name: string }
  | { readonly kind: 'drop-table'; readonly table: TableRef }
  /** TRUNCATE, or a DELETE without WHERE (SQLite has no TRUNCATE). */
  | { readonly kind: 'truncate'; readonly table: TableRef; readonly via: 'truncate' | 'delete' }
  | { readonly kind: 'rename-table'; readonly table: TableRef; readonly to: TableRef }
  | { readonly kind: 'rename-column'; readonly table: TableRef; readonly from: string; readonly to: string }
  | { readonly kind: 'add-column'; readonly table: TableRef; readonly column: ColumnSpec }
  | { readonly kind: 'drop-column'; readonly table: TableRef; readonly column: string }
  /** PostgreSQL ALTER COLUMN ... TYPE; `using` when a USING expression converts the values. */
  | { readonly kind: 'alter-column-type'; readonly table: TableRef; readonly column: string; readonly type: TypeRef; readonly using: boolean }
  /**
   * MySQL MODIFY / CHANGE: the column is defined anew (type, nullability, default); `column` is the
   * current name, `spec.name` the new one (different for a CHANGE that renames).
   */
  | { readonly kind: 'redefine-column'; readonly table: TableRef; readonly column: string; readonly spec: ColumnSpec }
  /** SET NOT NULL, or a PostgreSQL 18 `ADD CONSTRAINT ... NOT NULL col` that is validated at once. */
  | { readonly kind: 'set-not-null'; readonly table: TableRef; readonly column: string }
  | { readonly kind: 'drop-default'; readonly table: TableRef; readonly column: string }
  | {
      readonly kind: 'create-index';
      readonly table: TableRef;
      readonly name?: string;
      readonly unique: boolean;
      readonly concurrent: boolean;
      /**
       * PostgreSQL `CREATE INDEX ... ON ONLY parent`: an invalid index on the partitioned parent
       * alone, built by attaching the partitions' indexes later; it reads no rows.
       */
      readonly parentOnly?: boolean;
    }
  | { readonly kind: 'drop-index'; readonly name: string; readonly concurrent: boolean }
  | {
      readonly kind: 'add-constraint';
      readonly table: TableRef;
      readonly constraint: ConstraintKind;
      readonly name?: string;
      /** Added NOT VALID (PostgreSQL): existing rows are not checked now. */
      readonly notValid: boolean;
      /** UNIQUE / PRIMARY KEY ... USING INDEX: the index already exists. */
      readonly usingIndex: boolean;
      /** For `CHECK (col IS NOT NULL)` and NOT NULL constraints: the column. */
      readonly notNullColumn?: string;
    }
  | { readonly kind: 'validate-constraint'; readonly table: TableRef; readonly name: string }
  | { readonly kind: 'drop-primary-key'; readonly table: TableRef }
  | { readonly kind: 'convert-charset'; readonly table: TableRef }
  | { readonly kind: 'vacuum-full'; readonly table?: TableRef }
  | { readonly kind: 'cluster'; readonly table?: TableRef }
  /** BEGIN, START TRANSACTION, COMMIT, END, ROLLBACK, PREPARE TRANSACTION... */
  | { readonly kind: 'transaction-control'; readonly action: string }
  /** SET / RESET of the lock wait timeout; `disables` when the new value means "wait forever". */
  | { readonly kind: 'set-lock-timeout'; readonly disables: boolean }
  /** Any other operation that must run outside a transaction block because it is CONCURRENTLY. */
  | { readonly kind: 'other-concurrent'; readonly what: string }
  /**
   * The statement takes an ACCESS EXCLUSIVE lock (PostgreSQL) on `table`, or on the index `index`.
   * Emitted in addition to the operation that causes it.
   */
  | { readonly kind: 'access-exclusive'; readonly table?: TableRef; readonly index?: string; readonly what: string }
) & { readonly at?: number };

export type OperationKind = Operation['kind'];

/** The operation of one kind, for narrowing helpers. */
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** `schema.name` or `name`, for messages. */
export function tableName(t: TableRef): string {
  return t.schema ? `${t.schema}.${t.name}` : t.name;
}

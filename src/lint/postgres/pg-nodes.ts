/**
 * Reading libpg-query's AST (PostgreSQL's own parse tree as JSON) into the lint model: names,
 * types, column definitions, and whether a column default makes ADD COLUMN rewrite the table.
 */
import type { ColumnDef, Constraint, Node, RangeVar, TypeName } from 'libpg-query';
import type { ColumnSpec, TableRef, TypeRef } from '../operation.js';

export function tableOf(rv: RangeVar | undefined): TableRef {
  const name = rv?.relname ?? '?';
  return rv?.schemaname ? { schema: rv.schemaname, name } : { name };
}

/** `String` nodes of a name list (`[schema, name]`), as strings. */
export function namesOf(nodes: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const n of nodes ?? []) if ('String' in n) out.push(n.String.sval ?? '');
  return out;
}

/** A DROP's object (`List` of names, or a bare `String` for schemas) as a table ref. */
export function objectTable(node: Node): TableRef | undefined {
  const names = 'List' in node ? namesOf(node.List.items) : 'String' in node ? [node.String.sval ?? ''] : [];
  if (names.length === 0) return undefined;
  const name = names[names.length - 1]!;
  return names.length >= 2 ? { schema: names[names.length - 2]!, name } : { name };
}

/** Integer value of an `A_Const` (protobuf omits zero: `ival: {}` is 0); undefined otherwise. */
export function constInt(node: Node | undefined): number | undefined {
  if (!node || !('A_Const' in node)) return undefined;
  const c = node.A_Const;
  if (c.ival !== undefined) return c.ival.ival ?? 0;
  return undefined;
}

/** Display names for PostgreSQL's internal type names. */
const DISPLAY: Readonly<Record<string, string>> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  bpchar: 'char',
};

export function typeOf(tn: TypeName | undefined): TypeRef | undefined {
  const names = namesOf(tn?.names);
  if (!tn || names.length === 0) return undefined;
  const name = names[names.length - 1]!.toLowerCase();
  const mods: number[] = [];
  for (const m of tn.typmods ?? []) {
    const v = constInt(m);
    if (v !== undefined) mods.push(v);
  }
  const array = (tn.arrayBounds?.length ?? 0) > 0;
  const base = DISPLAY[name] ?? name;
  const text = `${base}${mods.length ? `(${mods.join(',')})` : ''}${array ? '[]' : ''}`;
  return { name, mods, array, text };
}

const SERIAL = new Set(['serial', 'serial4', 'bigserial', 'serial8', 'smallserial', 'serial2']);

/**
 * Functions whose volatility is VOLATILE in PostgreSQL's catalog and that people put in column
 * defaults. A DEFAULT calling one of them makes ADD COLUMN compute a value per row, rewriting the
 * table. `now()`, `current_timestamp` and friends are STABLE: evaluated once, no rewrite (PG 11+).
 * User-defined functions are not known here and are not reported.
 */
const VOLATILE = new Set([
  'random',
  'random_normal',
  'gen_random_uuid',
  'uuidv4',
  'uuidv7',
  'uuid_generate_v1',
  'uuid_generate_v1mc',
  'uuid_generate_v4',
  'clock_timestamp',
  'timeofday',
  'nextval',
  'setval',
]);

function constraintsOf(def: ColumnDef): Constraint[] {
  const out: Constraint[] = [];
  for (const c of def.constraints ?? []) if ('Constraint' in c) out.push(c.Constraint);
  return out;
}

/** The first volatile function called anywhere in an expression tree. */
export function volatileCall(node: unknown): string | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  if (Array.isArray(node)) {
    for (const x of node) {
      const f = volatileCall(x);
      if (f) return f;
    }
    return undefined;
  }
  const rec = node as Record<string, unknown>;
  const call = rec['FuncCall'] as { funcname?: Node[] } | undefined;
  if (call) {
    const names = namesOf(call.funcname);
    const fn = names[names.length - 1]?.toLowerCase();
    if (fn && VOLATILE.has(fn)) return `${fn}()`;
  }
  for (const v of Object.values(rec)) {
    const f = volatileCall(v);
    if (f) return f;
  }
  return undefined;
}

/** A column definition (CREATE TABLE element or ADD COLUMN) in the lint model. */
export function columnSpecOf(def: ColumnDef): ColumnSpec {
  const type = typeOf(def.typeName);
  let notNull = def.is_not_null === true;
  let hasDefault = false;
  let autoFilled = false;
  let rewriteReason: string | undefined;
  if (type && SERIAL.has(type.name)) {
    autoFilled = true;
    rewriteReason = `the ${type.name} type (its nextval() default is volatile)`;
  }
  for (const c of constraintsOf(def)) {
    switch (c.contype) {
      case 'CONSTR_NOTNULL':
      case 'CONSTR_PRIMARY':
        notNull = true;
        break;
      case 'CONSTR_DEFAULT': {
        const e = c.raw_expr;
        const isNull = e !== undefined && 'A_Const' in e && e.A_Const.isnull === true;
        if (e && !isNull) {
          hasDefault = true;
          const v = volatileCall(e);
          if (v) rewriteReason = `the volatile default ${v}`;
        }
        break;
      }
      case 'CONSTR_IDENTITY':
        autoFilled = true;
        rewriteReason = 'an identity column (every row gets a sequence value)';
        break;
      case 'CONSTR_GENERATED':
        autoFilled = true;
        if (c.generated_kind !== 'v') rewriteReason = 'a stored generated column (computed for every row)';
        break;
      default:
        break;
    }
  }
  return {
    name: def.colname ?? '?',
    ...(type ? { type } : {}),
    notNull,
    hasDefault,
    autoFilled,
    ...(rewriteReason ? { rewriteReason } : {}),
  };
}

/** Constraints declared inline on a column (`ADD COLUMN x int UNIQUE REFERENCES u`). */
export function inlineConstraints(def: ColumnDef): Constraint[] {
  return constraintsOf(def).filter((c) =>
    c.contype === 'CONSTR_FOREIGN' || c.contype === 'CONSTR_CHECK' || c.contype === 'CONSTR_UNIQUE' || c.contype === 'CONSTR_PRIMARY' || c.contype === 'CONSTR_EXCLUSION',
  );
}

/** For `CHECK (col IS NOT NULL)`: the column; undefined for any other check. */
export function notNullCheckColumn(c: Constraint): string | undefined {
  const e = c.raw_expr;
  if (!e || !('NullTest' in e)) return undefined;
  const t = e.NullTest;
  if (t.nulltesttype !== 'IS_NOT_NULL' || !t.arg || !('ColumnRef' in t.arg)) return undefined;
  const names = namesOf(t.arg.ColumnRef.fields);
  return names.length === 1 ? names[0] : undefined;
}

/** A boolean option's value as PostgreSQL's defGetBoolean reads it: absent means true. */
export function optionIsOn(arg: Node | undefined): boolean {
  if (!arg) return true;
  if ('Integer' in arg) return (arg.Integer.ival ?? 0) !== 0;
  if ('Boolean' in arg) return arg.Boolean.boolval === true;
  if ('String' in arg) return !['false', 'off', '0', 'no'].includes((arg.String.sval ?? '').toLowerCase());
  if ('A_Const' in arg) return constInt(arg) !== 0;
  return true;
}

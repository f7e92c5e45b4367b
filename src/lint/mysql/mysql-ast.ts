/**
 * node-sql-parser's MySQL/MariaDB AST (loosely typed JSON) to lint operations. Reads only the
 * fields it needs, defensively: a shape it does not expect yields no operation, never a guess.
 */
import type { ColumnSpec, ConstraintKind, Operation, TableRef, TypeRef } from '../operation.js';

export interface MysqlAstResult {
  readonly ops: Operation[];
  /** ALGORITHM= of an ALTER TABLE or CREATE INDEX, upper case. */
  readonly algorithm?: string;
}

type Obj = Readonly<Record<string, unknown>>;

function obj(x: unknown): Obj | undefined {
  return x !== null && typeof x === 'object' && !Array.isArray(x) ? (x as Obj) : undefined;
}
function arr(x: unknown): readonly unknown[] {
  return Array.isArray(x) ? x : [];
}
function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}
function num(x: unknown): number | undefined {
  return typeof x === 'number' ? x : undefined;
}

function tableRef(x: unknown): TableRef | undefined {
  const o = obj(x);
  const name = str(o?.['table']);
  if (!o || !name) return undefined;
  const db = str(o['db']);
  return db ? { schema: db, name } : { name };
}

/** `{column: 'c'}` or `{column: {expr: {value: 'c'}}}` (both shapes occur). */
function columnName(x: unknown): string | undefined {
  const o = obj(x);
  if (!o) return str(x);
  const c = o['column'];
  if (typeof c === 'string') return c;
  const e = obj(obj(c)?.['expr']);
  return str(e?.['value']);
}

function typeOf(def: unknown): TypeRef | undefined {
  const d = obj(def);
  const dt = str(d?.['dataType']);
  if (!d || !dt) return undefined;
  const name = dt.toLowerCase();
  const mods: number[] = [];
  const len = num(d['length']);
  if (len !== undefined) mods.push(len);
  const scale = num(d['scale']);
  if (scale !== undefined) mods.push(scale);
  return { name, mods, array: false, text: `${name}${mods.length ? `(${mods.join(',')})` : ''}` };
}

function isNullLiteral(x: unknown): boolean {
  const v = obj(obj(x)?.['value']);
  return v?.['type'] === 'null';
}

/** A column definition (CREATE TABLE element, ADD/MODIFY/CHANGE COLUMN). */
function columnSpec(e: Obj, name: string): ColumnSpec {
  const type = typeOf(e['definition']);
  const nullable = obj(e['nullable']);
  const notNull = str(nullable?.['type'])?.toLowerCase() === 'not null' || (e['primary_key'] !== undefined && e['primary_key'] !== null);
  const dv = e['default_val'];
  const hasDefault = dv !== undefined && dv !== null && !isNullLiteral(dv);
  const autoFilled = (e['auto_increment'] !== undefined && e['auto_increment'] !== null) || (e['generated'] !== undefined && e['generated'] !== null);
  return { name, ...(type ? { type } : {}), notNull, hasDefault, autoFilled };
}

const CONSTRAINT_KIND: Readonly<Record<string, ConstraintKind>> = {
  unique: 'unique',
  'unique key': 'unique',
  'unique index': 'unique',
  'primary key': 'primary-key',
  'foreign key': 'foreign-key',
  check: 'check',
};

export function operationsOfMysqlAst(ast: unknown): MysqlAstResult {
  const ops: Operation[] = [];
  let algorithm: string | undefined;
  for (const node of Array.isArray(ast) ? ast : [ast]) {
    const s = obj(node);
    if (!s) continue;
    switch (s['type']) {
      case 'alter': {
        const table = tableRef(arr(s['table'])[0]);
        if (!table) break;
        for (const x of arr(s['expr'])) {
          const e = obj(x);
          if (!e) continue;
          if (e['resource'] === 'algorithm') {
            algorithm = str(e['algorithm'])?.toUpperCase() ?? algorithm;
            continue;
          }
          alterClause(table, e, ops);
        }
        break;
      }
      case 'rename':
        for (const pair of arr(s['table'])) {
          const [from, to] = arr(pair).map(tableRef);
          if (from && to) ops.push({ kind: 'rename-table', table: from, to });
        }
        break;
      case 'drop': {
        const kw = str(s['keyword'])?.toLowerCase();
        if (kw === 'table') {
          for (const n of arr(s['name'])) {
            const t = tableRef(n);
            if (t) ops.push({ kind: 'drop-table', table: t });
          }
        } else if (kw === 'database' || kw === 'schema') {
          const name = str(s['name']) ?? str(obj(s['name'])?.['db']);
          if (name) ops.push({ kind: 'drop-schema', name });
        } else if (kw === 'index') {
          const name = columnName(s['name']);
          if (name) ops.push({ kind: 'drop-index', name, concurrent: false });
        }
        break;
      }
      case 'truncate':
        for (const n of arr(s['name'])) {
          const t = tableRef(n);
          if (t) ops.push({ kind: 'truncate', table: t, via: 'truncate' });
        }
        break;
      case 'delete': {
        if (s['where'] !== null && s['where'] !== undefined) break;
        const t = tableRef(arr(s['from'])[0]) ?? tableRef(arr(s['table'])[0]);
        if (t) ops.push({ kind: 'truncate', table: t, via: 'delete' });
        break;
      }
      case 'create': {
        const kw = str(s['keyword'])?.toLowerCase();
        if (kw === 'table') {
          const table = tableRef(arr(s['table'])[0]);
          if (!table) break;
          const columns: ColumnSpec[] = [];
          for (const d of arr(s['create_definitions'])) {
            const e = obj(d);
            const name = e && e['resource'] === 'column' ? columnName(e['column']) : undefined;
            if (e && name) columns.push(columnSpec(e, name));
          }
          ops.push({ kind: 'create-table', table, columns });
        } else if (kw === 'index') {
          const table = tableRef(s['table']);
          if (!table) break;
          const name = str(s['index']) ?? str(obj(s['index'])?.['name']);
          ops.push({ kind: 'create-index', table, ...(name ? { name } : {}), unique: str(s['index_type'])?.toLowerCase() === 'unique', concurrent: false });
          const alg = str(obj(s['algorithm_option'])?.['algorithm']);
          if (alg) algorithm = alg.toUpperCase();
        }
        break;
      }
      case 'transaction': {
        const v = str(obj(obj(s['expr'])?.['action'])?.['value'])?.toUpperCase();
        if (v) ops.push({ kind: 'transaction-control', action: v === 'START' ? 'START TRANSACTION' : v });
        break;
      }
      default:
        break;
    }
  }
  return { ops, ...(algorithm ? { algorithm } : {}) };
}

function alterClause(table: TableRef, e: Obj, ops: Operation[]): void {
  const action = str(e['action'])?.toLowerCase();
  const resource = str(e['resource'])?.toLowerCase();
  if (resource === 'column') {
    const col = columnName(e['column']);
    if (!col) return;
    if (action === 'add') ops.push({ kind: 'add-column', table, column: columnSpec(e, col) });
    else if (action === 'drop') ops.push({ kind: 'drop-column', table, column: col });
    else if (action === 'modify') ops.push({ kind: 'redefine-column', table, column: col, spec: columnSpec(e, col) });
    else if (action === 'change') {
      const old = columnName(e['old_column']);
      if (old) ops.push({ kind: 'redefine-column', table, column: old, spec: columnSpec(e, col) });
    } else if (action === 'rename') {
      const old = columnName(e['old_column']);
      if (old) ops.push({ kind: 'rename-column', table, from: old, to: col });
    }
    return;
  }
  if (resource === 'table' && action === 'rename') {
    const to = str(e['table']);
    if (to) ops.push({ kind: 'rename-table', table, to: table.schema ? { schema: table.schema, name: to } : { name: to } });
    return;
  }
  if (resource === 'constraint' && action === 'add') {
    const d = obj(e['create_definitions']);
    const kind = CONSTRAINT_KIND[str(d?.['constraint_type'])?.toLowerCase() ?? ''];
    if (!d || !kind) return;
    const name = str(d['constraint']) ?? str(d['index']);
    ops.push({ kind: 'add-constraint', table, constraint: kind, ...(name ? { name } : {}), notValid: false, usingIndex: false });
    return;
  }
  if (resource === 'index' && action === 'add') {
    const name = str(e['index']);
    ops.push({ kind: 'create-index', table, ...(name ? { name } : {}), unique: false, concurrent: false });
    return;
  }
  if (resource === 'index' && action === 'drop') {
    const name = str(e['index']);
    if (name) ops.push({ kind: 'drop-index', name, concurrent: false });
    return;
  }
  if (resource === 'key' && action === 'drop' && str(e['keyword'])?.toLowerCase() === 'primary key') ops.push({ kind: 'drop-primary-key', table });
}

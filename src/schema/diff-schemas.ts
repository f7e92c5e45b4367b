/**
 * `diffSchemas(before, after)`: the differences between two snapshots, object by object. Pure.
 *
 * Each difference names the object by a path (`['table users', 'column email']`) and says whether
 * it is only in `after` (`added`), only in `before` (`removed`), or in both with one property
 * changed (`changed`, with the two values as text). An object that is added or removed is one
 * difference, never one per column. Column positions are not compared (a column dropped by an up
 * and re-added by its down lands last, and nothing but `SELECT *` can tell). Names in the default
 * schema are shown unqualified.
 */
import type {
  ColumnInfo,
  ConstraintInfo,
  ExtensionInfo,
  IndexInfo,
  RoutineInfo,
  SchemaSnapshot,
  SequenceInfo,
  TableInfo,
  TriggerInfo,
  TypeInfo,
  ViewInfo,
} from './schema-snapshot.js';

export type DifferenceChange = 'added' | 'removed' | 'changed';

export interface SchemaDifference {
  /** The object, outermost first: `['table users', 'index users_email_idx']`. */
  readonly path: readonly string[];
  readonly change: DifferenceChange;
  /** For `changed`: which property (`type`, `not null`, `default`, `definition`, ...). */
  readonly property?: string;
  /** For `changed`: the value in `before` and in `after`, as text. */
  readonly before?: string;
  readonly after?: string;
}

interface ObjectSpec<T> {
  /** Identity within its list; objects with the same key are compared property by property. */
  key(item: T): string;
  /** How the object is named in a difference. */
  label(item: T): string;
  /** The compared properties, as text. */
  props(item: T): Record<string, string>;
  /** Differences inside two matched objects (a table's columns, indexes, ...). */
  children?(before: T, after: T, path: readonly string[]): SchemaDifference[];
}

function diffList<T>(path: readonly string[], before: readonly T[], after: readonly T[], spec: ObjectSpec<T>): SchemaDifference[] {
  const b = new Map(before.map((x) => [spec.key(x), x] as const));
  const a = new Map(after.map((x) => [spec.key(x), x] as const));
  const keys = [...new Set([...b.keys(), ...a.keys()])].sort();
  const out: SchemaDifference[] = [];
  for (const k of keys) {
    const x = b.get(k);
    const y = a.get(k);
    if (x === undefined && y !== undefined) {
      out.push({ path: [...path, spec.label(y)], change: 'added' });
      continue;
    }
    if (y === undefined && x !== undefined) {
      out.push({ path: [...path, spec.label(x)], change: 'removed' });
      continue;
    }
    if (x === undefined || y === undefined) continue;
    const here = [...path, spec.label(x)];
    const px = spec.props(x);
    const py = spec.props(y);
    for (const p of [...new Set([...Object.keys(px), ...Object.keys(py)])]) {
      const vx = px[p] ?? 'none';
      const vy = py[p] ?? 'none';
      if (vx !== vy) out.push({ path: here, change: 'changed', property: p, before: vx, after: vy });
    }
    if (spec.children) out.push(...spec.children(x, y, here));
  }
  return out;
}

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

function qualify(defaultSchema: string, schema: string, name: string): string {
  return schema === defaultSchema ? name : `${schema}.${name}`;
}

const columnSpec: ObjectSpec<ColumnInfo> = {
  key: (c) => c.name,
  label: (c) => `column ${c.name}`,
  props: (c) => ({
    type: c.type,
    'not null': yesNo(!c.nullable),
    default: c.default ?? 'none',
    generated: c.generated ?? 'none',
    identity: c.identity ?? 'none',
    collation: c.collation ?? 'default',
  }),
};

const indexSpec: ObjectSpec<IndexInfo> = {
  key: (i) => i.name,
  label: (i) => `index ${i.name}`,
  props: (i) => ({
    columns: `(${i.columns.join(', ')})`,
    unique: yesNo(i.unique),
    method: i.method ?? 'default',
    where: i.where ?? 'none',
    include: i.include.length ? `(${i.include.join(', ')})` : 'none',
    valid: yesNo(i.valid),
  }),
};

const constraintSpec: ObjectSpec<ConstraintInfo> = {
  key: (c) => (c.name !== null ? `name:${c.name}` : `def:${c.kind}:${c.definition}`),
  label: (c) => (c.name !== null ? `constraint ${c.name}` : `${c.kind} ${c.definition.replace(/^(PRIMARY KEY|FOREIGN KEY|UNIQUE|CHECK)\s*/i, '')}`),
  props: (c): Record<string, string> => (c.name !== null ? { kind: c.kind, definition: c.definition } : {}),
};

const triggerSpec: ObjectSpec<TriggerInfo> = {
  key: (t) => t.name,
  label: (t) => `trigger ${t.name}`,
  props: (t) => ({ definition: t.definition }),
};

function tableSpec(defaultSchema: string): ObjectSpec<TableInfo> {
  return {
    key: (t) => `${t.schema}.${t.name}`,
    label: (t) => `table ${qualify(defaultSchema, t.schema, t.name)}`,
    props: (t) => ({ ...t.options }),
    children: (x, y, path) => [
      ...diffList(path, x.columns, y.columns, columnSpec),
      ...diffList(path, x.constraints, y.constraints, constraintSpec),
      ...diffList(path, x.indexes, y.indexes, indexSpec),
      ...diffList(path, x.triggers, y.triggers, triggerSpec),
    ],
  };
}

function viewSpec(defaultSchema: string): ObjectSpec<ViewInfo> {
  return {
    key: (v) => `${v.schema}.${v.name}`,
    label: (v) => `${v.materialized ? 'materialized view' : 'view'} ${qualify(defaultSchema, v.schema, v.name)}`,
    props: (v) => ({ materialized: yesNo(v.materialized), definition: v.definition }),
  };
}

function routineSpec(defaultSchema: string): ObjectSpec<RoutineInfo> {
  return {
    key: (r) => `${r.schema}.${r.name}(${r.arguments})`,
    label: (r) => `${r.kind} ${qualify(defaultSchema, r.schema, r.name)}(${r.arguments})`,
    props: (r) => ({ kind: r.kind, returns: r.returns ?? 'none', language: r.language, attributes: r.attributes, definition: r.definition }),
  };
}

function sequenceSpec(defaultSchema: string): ObjectSpec<SequenceInfo> {
  return {
    key: (s) => `${s.schema}.${s.name}`,
    label: (s) => `sequence ${qualify(defaultSchema, s.schema, s.name)}`,
    props: (s) => ({ definition: s.definition, 'owned by': s.ownedBy ? `${s.ownedBy.table}.${s.ownedBy.column}` : 'none' }),
  };
}

function typeSpec(defaultSchema: string): ObjectSpec<TypeInfo> {
  return {
    key: (t) => `${t.schema}.${t.name}`,
    label: (t) => `type ${qualify(defaultSchema, t.schema, t.name)}`,
    props: (t) => ({ kind: t.kind, definition: t.definition }),
  };
}

const schemaSpec: ObjectSpec<string> = { key: (s) => s, label: (s) => `schema ${s}`, props: () => ({}) };

const extensionSpec: ObjectSpec<ExtensionInfo> = {
  key: (e) => e.name,
  label: (e) => `extension ${e.name}`,
  props: (e) => ({ version: e.version }),
};

/**
 * The differences from `before` to `after`, schemas first, then extensions, types, sequences,
 * tables (with their columns, constraints, indexes, triggers), views and routines; each group in
 * name order. Empty when the two describe the same schema.
 */
export function diffSchemas(before: SchemaSnapshot, after: SchemaSnapshot): SchemaDifference[] {
  const d = before.defaultSchema;
  return [
    ...diffList([], before.schemas, after.schemas, schemaSpec),
    ...diffList([], before.extensions, after.extensions, extensionSpec),
    ...diffList([], before.types, after.types, typeSpec(d)),
    ...diffList([], before.sequences, after.sequences, sequenceSpec(d)),
    ...diffList([], before.tables, after.tables, tableSpec(d)),
    ...diffList([], before.views, after.views, viewSpec(d)),
    ...diffList([], before.routines, after.routines, routineSpec(d)),
  ];
}

/** Whether two snapshots describe the same schema. */
export function sameSchema(a: SchemaSnapshot, b: SchemaSnapshot): boolean {
  return diffSchemas(a, b).length === 0;
}

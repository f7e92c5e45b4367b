/** Pure schema modules: diff, formatting, normalisation, table exclusion. No database. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas, sameSchema } from '../../src/schema/diff-schemas.js';
import { AFTER_DOWN, abbreviate, formatDifference, formatDifferences } from '../../src/schema/format-differences.js';
import { maskQuoted, normalizeSql, parenGroup, shortPostgresType, splitTopLevel } from '../../src/schema/normalize-sql.js';
import { emptySnapshot, type ColumnInfo, type SchemaSnapshot, type TableInfo } from '../../src/schema/schema-snapshot.js';
import { withoutTables } from '../../src/schema/without-tables.js';

function column(name: string, type: string, extra: Partial<ColumnInfo> = {}): ColumnInfo {
  return { name, position: 1, type, nullable: true, default: null, generated: null, identity: null, collation: null, ...extra };
}

function table(name: string, extra: Partial<TableInfo> = {}, schema = 'public'): TableInfo {
  return { schema, name, columns: [column('id', 'integer', { nullable: false })], indexes: [], constraints: [], triggers: [], options: {}, ...extra };
}

function snap(extra: Partial<SchemaSnapshot> = {}): SchemaSnapshot {
  return { ...emptySnapshot('postgres', 'public'), schemas: ['public'], ...extra };
}

const usersV1 = table('users', {
  columns: [column('id', 'integer', { nullable: false }), column('email', 'varchar(100)', { nullable: false })],
  indexes: [{ name: 'users_email_idx', columns: ['email'], unique: true, method: 'btree', where: null, include: [], valid: true }],
  constraints: [{ name: 'users_pkey', kind: 'primary key', columns: ['id'], definition: 'PRIMARY KEY (id)', references: null }],
});

test('identical snapshots have no differences', () => {
  assert.deepEqual(diffSchemas(snap({ tables: [usersV1] }), snap({ tables: [usersV1] })), []);
  assert.equal(sameSchema(snap({ tables: [usersV1] }), snap({ tables: [usersV1] })), true);
});

test('a changed column type is one difference naming table, column, property and both values', () => {
  const after = snap({ tables: [{ ...usersV1, columns: [usersV1.columns[0]!, column('email', 'text', { nullable: false })] }] });
  const d = diffSchemas(snap({ tables: [usersV1] }), after);
  assert.deepEqual(d, [{ path: ['table users', 'column email'], change: 'changed', property: 'type', before: 'varchar(100)', after: 'text' }]);
  assert.equal(formatDifference(d[0]!), 'table users: column email: type varchar(100) -> text');
});

test('nullability and default changes are reported separately', () => {
  const after = snap({ tables: [{ ...usersV1, columns: [usersV1.columns[0]!, column('email', 'varchar(100)', { nullable: true, default: "''" })] }] });
  assert.deepEqual(formatDifferences(diffSchemas(snap({ tables: [usersV1] }), after)), [
    'table users: column email: not null yes -> no',
    "table users: column email: default none -> ''",
  ]);
});

test('an index left behind or missing reads as such with the down wording', () => {
  const without = { ...usersV1, indexes: [] };
  assert.deepEqual(formatDifferences(diffSchemas(snap({ tables: [without] }), snap({ tables: [usersV1] })), AFTER_DOWN), ['table users: index users_email_idx: still present after down']);
  assert.deepEqual(formatDifferences(diffSchemas(snap({ tables: [usersV1] }), snap({ tables: [without] })), AFTER_DOWN), ['table users: index users_email_idx: missing after down']);
});

test('an index whose predicate or columns changed is reported per property', () => {
  const partial = { ...usersV1, indexes: [{ ...usersV1.indexes[0]!, columns: ['lower(email)'], where: 'email IS NOT NULL' }] };
  assert.deepEqual(formatDifferences(diffSchemas(snap({ tables: [usersV1] }), snap({ tables: [partial] }))), [
    'table users: index users_email_idx: columns (email) -> (lower(email))',
    'table users: index users_email_idx: where none -> email IS NOT NULL',
  ]);
});

test('a whole table added is one line, not one per column', () => {
  const d = diffSchemas(snap(), snap({ tables: [usersV1] }));
  assert.deepEqual(formatDifferences(d, AFTER_DOWN), ['table users: still present after down']);
});

test('column positions are not compared', () => {
  const a = table('t', { columns: [column('a', 'int', { position: 1 }), column('b', 'int', { position: 2 })] });
  const b = table('t', { columns: [column('b', 'int', { position: 1 }), column('a', 'int', { position: 2 })] });
  assert.deepEqual(diffSchemas(snap({ tables: [a] }), snap({ tables: [b] })), []);
});

test('objects outside the default schema are qualified; schemas, views, routines, types, sequences, extensions are compared', () => {
  const before = snap({ tables: [table('settings', {}, 'app')] });
  const after = snap({
    schemas: ['app', 'public'],
    extensions: [{ name: 'pgcrypto', version: '1.3' }],
    tables: [table('settings', { options: { 'row level security': 'enabled' } }, 'app')],
    views: [{ schema: 'public', name: 'v', materialized: false, definition: 'SELECT 1' }],
    routines: [{ schema: 'public', name: 'f', kind: 'function', arguments: 'integer', returns: 'integer', language: 'sql', attributes: 'immutable', definition: 'SELECT $1' }],
    types: [{ schema: 'public', name: 'mood', kind: 'enum', definition: "('a', 'b')" }],
    sequences: [{ schema: 'public', name: 's', definition: 'as bigint', ownedBy: null }],
  });
  assert.deepEqual(formatDifferences(diffSchemas(before, after)), [
    'schema app: added',
    'extension pgcrypto: added',
    'type mood: added',
    'sequence s: added',
    'table app.settings: row level security none -> enabled',
    'view v: added',
    'function f(integer): added',
  ]);
});

test('unnamed constraints (SQLite) are matched by definition', () => {
  const check = { name: null, kind: 'check' as const, columns: [], definition: 'CHECK (age >= 0)', references: null };
  const a = table('users', { constraints: [check] });
  const b = table('users', { constraints: [{ ...check, definition: 'CHECK (age > 0)' }] });
  assert.deepEqual(formatDifferences(diffSchemas(snap({ tables: [a] }), snap({ tables: [b] })), AFTER_DOWN), [
    'table users: check (age > 0): still present after down',
    'table users: check (age >= 0): missing after down',
  ]);
});

test('withoutTables drops the named tables in the schema and the sequences they own', () => {
  const s = snap({
    tables: [table('godwit_migrations'), table('godwit_events'), table('users'), table('godwit_events', {}, 'other')],
    sequences: [
      { schema: 'public', name: 'godwit_events_id_seq', definition: 'as bigint', ownedBy: { table: 'godwit_events', column: 'id' } },
      { schema: 'public', name: 'users_id_seq', definition: 'as integer', ownedBy: { table: 'users', column: 'id' } },
    ],
  });
  const out = withoutTables(s, 'public', ['godwit_migrations', 'godwit_events', 'godwit_migrations_lock']);
  assert.deepEqual(out.tables.map((t) => `${t.schema}.${t.name}`), ['public.users', 'other.godwit_events']);
  assert.deepEqual(out.sequences.map((x) => x.name), ['users_id_seq']);
  assert.deepEqual(withoutTables(s, undefined, ['godwit_events']).tables.map((t) => `${t.schema}.${t.name}`), ['public.godwit_migrations', 'public.users']);
});

test('normalizeSql collapses whitespace and comments outside quotes only', () => {
  assert.equal(normalizeSql('SELECT  a ,\n  b -- note\n FROM t ;'), 'SELECT a, b FROM t');
  assert.equal(normalizeSql("SELECT 'a   b' , \"x  y\"  FROM ( t )"), "SELECT 'a   b', \"x  y\" FROM (t)");
  assert.equal(normalizeSql('BEGIN\n  x := 1;\nEND;;'), 'BEGIN x := 1; END');
  assert.equal(normalizeSql('$f$ keep   this $f$  /* c */ x'), '$f$ keep   this $f$ x');
});

test('shortPostgresType shortens format_type spellings, arrays included', () => {
  assert.equal(shortPostgresType('character varying(100)'), 'varchar(100)');
  assert.equal(shortPostgresType('character varying[]'), 'varchar[]');
  assert.equal(shortPostgresType('timestamp(3) with time zone'), 'timestamptz(3)');
  assert.equal(shortPostgresType('timestamp without time zone'), 'timestamp');
  assert.equal(shortPostgresType('character(2)'), 'char(2)');
  assert.equal(shortPostgresType('double precision'), 'double precision');
});

test('splitTopLevel, parenGroup and maskQuoted respect quotes and nesting', () => {
  assert.deepEqual(splitTopLevel("a, lower(b, c), 'x,y', \"q,r\" DESC"), ['a', 'lower(b, c)', "'x,y'", '"q,r" DESC']);
  const text = "t (a int CHECK (a > ')'), b text)";
  assert.equal(parenGroup(text, text.indexOf('('))?.inner, "a int CHECK (a > ')'), b text");
  assert.equal(maskQuoted("x 'a(b' [c)d] y"), "x '   ' [   ] y");
});

test('abbreviate cuts long values around the first difference', () => {
  const base = 'SELECT ' + 'x, '.repeat(60);
  const [b, a] = abbreviate(`${base}old_column FROM t`, `${base}new_column FROM t`);
  assert.match(b, /^….*old_column FROM t$/);
  assert.match(a, /^….*new_column FROM t$/);
  assert.ok(b.length < 130);
});

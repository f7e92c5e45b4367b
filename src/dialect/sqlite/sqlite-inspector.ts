/**
 * Inspect a SQLite database's `main` schema from sqlite_master and the table pragmas into the
 * neutral `SchemaSnapshot` (src/schema/schema-snapshot.ts).
 *
 * SQLite keeps little in its catalog beyond the CREATE text, so:
 * - columns, primary key, foreign keys, unique constraints and indexes come from the pragmas
 *   (`table_xinfo`, `foreign_key_list`, `index_list`, `index_xinfo`), which do not depend on how
 *   the CREATE text was written or on a table rebuild (create new, copy, drop, rename);
 * - CHECK constraints, generated-column expressions, AUTOINCREMENT and column collations are read
 *   from the CREATE TABLE text (outside quotes), partial-index predicates and index expressions
 *   from the CREATE INDEX text;
 * - constraints have no name (SQLite does not keep one apart from the text) and are told apart by
 *   their definition;
 * - declared types are compared lower-cased.
 * Internal tables (`sqlite_*`) and the shadow tables of virtual tables are left out.
 */
import { maskQuoted, normalizeSql, parenGroup, sortedBy, splitTopLevel } from '../../schema/normalize-sql.js';
import type { ColumnInfo, ConstraintInfo, IndexInfo, SchemaSnapshot, TableInfo, TriggerInfo, ViewInfo } from '../../schema/schema-snapshot.js';
import type { Connection, Row } from '../driver.js';

interface MasterRow extends Row {
  type: string;
  name: string;
  tbl_name: string;
  sql: string | null;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/** Every `KEYWORD (` group in `text` outside quotes: the inside of each group. */
function keywordGroups(text: string, keyword: RegExp): string[] {
  const masked = maskQuoted(text);
  const out: string[] = [];
  const re = new RegExp(keyword.source, 'gi');
  for (let m = re.exec(masked); m; m = re.exec(masked)) {
    const open = m.index + m[0].length - 1;
    const g = parenGroup(text, open);
    if (g) out.push(g.inner);
  }
  return out;
}

/** An identifier as written (quoted or not) -> its name. */
function unquote(id: string): string {
  const t = id.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith('`') && t.endsWith('`'))) return t.slice(1, -1).replace(/""/g, '"').replace(/``/g, '`');
  if (t.startsWith('[') && t.endsWith(']')) return t.slice(1, -1);
  return t;
}

/** The first identifier of a column definition and the rest. */
function leadingName(def: string): { name: string; rest: string } {
  const m = /^("(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|\S+)/.exec(def.trim());
  const raw = m ? m[0] : def;
  return { name: unquote(raw), rest: def.trim().slice(raw.length) };
}

interface CreateTableFacts {
  readonly checks: string[];
  readonly autoincrement: Set<string>;
  readonly generated: Map<string, string>;
  readonly collations: Map<string, string>;
}

const TABLE_CONSTRAINT = /^(CONSTRAINT|PRIMARY|UNIQUE|CHECK|FOREIGN)\b/i;

/** What only the CREATE TABLE text tells: CHECKs, AUTOINCREMENT, generated expressions, collations. */
export function parseCreateTable(sql: string): CreateTableFacts {
  const facts: CreateTableFacts = { checks: [], autoincrement: new Set(), generated: new Map(), collations: new Map() };
  const masked = maskQuoted(sql);
  const g = parenGroup(sql, masked.indexOf('('));
  if (!g) return facts;
  for (const part of splitTopLevel(g.inner)) {
    for (const c of keywordGroups(part, /\bCHECK\s*\(/)) facts.checks.push(`CHECK (${normalizeSql(c)})`);
    if (TABLE_CONSTRAINT.test(part)) continue;
    const { name, rest } = leadingName(part);
    const mrest = maskQuoted(rest);
    if (/\bAUTOINCREMENT\b/i.test(mrest)) facts.autoincrement.add(name);
    const gen = keywordGroups(rest, /\bAS\s*\(/)[0];
    if (gen !== undefined) facts.generated.set(name, `${normalizeSql(gen)} ${/\bSTORED\b/i.test(mrest) ? 'stored' : 'virtual'}`);
    const at = mrest.search(/\bCOLLATE\s/i);
    const coll = at < 0 ? null : /^COLLATE\s+("(?:[^"]|"")*"|[^\s,)]+)/i.exec(rest.slice(at));
    if (coll) facts.collations.set(name, unquote(coll[1]!).toLowerCase());
  }
  return facts;
}

/** Key parts (as written) and the WHERE predicate of a CREATE INDEX text. */
export function parseCreateIndex(sql: string): { parts: string[]; where: string | null } {
  const masked = maskQuoted(sql);
  const on = masked.search(/\bON\b/i);
  const open = masked.indexOf('(', on < 0 ? 0 : on);
  const g = parenGroup(sql, open);
  if (!g) return { parts: [], where: null };
  const tail = sql.slice(g.end);
  const w = /\bWHERE\b/i.exec(maskQuoted(tail));
  return { parts: splitTopLevel(g.inner), where: w ? normalizeSql(tail.slice(w.index + w[0].length)) : null };
}

/** `CREATE [TEMP] VIEW|TRIGGER [IF NOT EXISTS] name` removed from the front of the text. */
function body(sql: string, kind: 'VIEW' | 'TRIGGER'): string {
  const re = new RegExp(`^\\s*CREATE\\s+(?:TEMP(?:ORARY)?\\s+)?${kind}\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?("(?:[^"]|"")*"|\`(?:[^\`]|\`\`)*\`|\\[[^\\]]*\\]|[^\\s(]+)`, 'i');
  return normalizeSql(sql.replace(re, ''));
}

export async function inspectSqliteSchema(conn: Connection): Promise<SchemaSnapshot> {
  const q = <T extends Row>(sql: string, params: unknown[] = []) => conn.query<T>(sql, params);
  const master = await q<MasterRow>(`SELECT type, name, tbl_name, sql FROM main.sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'`);
  const kinds = new Map<string, { type: string; wr: number; strict: number }>();
  for (const r of await q<Row>(`SELECT name, type, wr, strict FROM pragma_table_list WHERE schema = 'main'`)) {
    kinds.set(str(r.name), { type: str(r.type), wr: Number(r.wr), strict: Number(r.strict) });
  }
  const triggers = master.filter((m) => m.type === 'trigger');
  const indexSql = new Map(master.filter((m) => m.type === 'index').map((m) => [m.name, m.sql] as const));

  const tables: TableInfo[] = [];
  for (const t of master.filter((m) => m.type === 'table')) {
    const kind = kinds.get(t.name);
    if (kind && kind.type === 'shadow') continue;
    const sql = str(t.sql);
    const isVirtual = /^\s*CREATE\s+VIRTUAL\b/i.test(sql);
    const facts = isVirtual ? parseCreateTable('') : parseCreateTable(sql);
    const xinfo = await q<Row>(`SELECT cid, name, type, "notnull" AS nn, dflt_value, pk, hidden FROM pragma_table_xinfo(?)`, [t.name]);
    const columns: ColumnInfo[] = xinfo
      .filter((c) => Number(c.hidden) !== 1)
      .map((c) => {
        const name = str(c.name);
        return {
          name,
          position: Number(c.cid) + 1,
          type: str(c.type).toLowerCase().replace(/\s+/g, ' ').trim(),
          nullable: Number(c.nn) === 0,
          default: c.dflt_value === null || c.dflt_value === undefined ? null : str(c.dflt_value),
          generated: Number(c.hidden) >= 2 ? (facts.generated.get(name) ?? (Number(c.hidden) === 3 ? 'stored' : 'virtual')) : null,
          identity: facts.autoincrement.has(name) ? 'autoincrement' : null,
          collation: facts.collations.get(name) ?? null,
        };
      });
    const constraints: ConstraintInfo[] = [];
    const pk = sortedBy(xinfo.filter((c) => Number(c.pk) > 0), (c) => String(Number(c.pk)).padStart(4, '0')).map((c) => str(c.name));
    if (pk.length > 0) constraints.push({ name: null, kind: 'primary key', columns: pk, definition: `PRIMARY KEY (${pk.join(', ')})`, references: null });
    const fks = await q<Row>(`SELECT id, seq, "table" AS tbl, "from" AS src, "to" AS dst, on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq`, [t.name]);
    for (const id of [...new Set(fks.map((f) => Number(f.id)))]) {
      const parts = fks.filter((f) => Number(f.id) === id);
      const f = parts[0]!;
      const cols = parts.map((p) => str(p.src));
      const refs = parts.map((p) => str(p.dst));
      const refText = refs.every((r) => r === '') ? '' : `(${refs.join(', ')})`;
      constraints.push({
        name: null,
        kind: 'foreign key',
        columns: cols,
        definition: `FOREIGN KEY (${cols.join(', ')}) REFERENCES ${str(f.tbl)}${refText} ON UPDATE ${str(f.on_update)} ON DELETE ${str(f.on_delete)}`,
        references: { schema: 'main', table: str(f.tbl), columns: refs, onUpdate: str(f.on_update), onDelete: str(f.on_delete) },
      });
    }
    for (const c of facts.checks) constraints.push({ name: null, kind: 'check', columns: [], definition: c, references: null });
    const indexes: IndexInfo[] = [];
    for (const ix of await q<Row>(`SELECT name, "unique" AS uq, origin, partial FROM pragma_index_list(?)`, [t.name])) {
      const name = str(ix.name);
      const keyRows = (await q<Row>(`SELECT seqno, cid, name, "desc" AS dsc, coll, "key" AS k FROM pragma_index_xinfo(?)`, [name])).filter((k) => Number(k.k) === 1);
      const parsed = parseCreateIndex(str(indexSql.get(name)));
      const cols = sortedBy(keyRows, (k) => String(Number(k.seqno)).padStart(4, '0')).map((k, i) => {
        if (Number(k.cid) === -2) return normalizeSql(parsed.parts[i] ?? 'expression');
        const coll = str(k.coll);
        return `${str(k.name)}${coll && coll.toUpperCase() !== 'BINARY' ? ` COLLATE ${coll}` : ''}${Number(k.dsc) === 1 ? ' DESC' : ''}`;
      });
      if (ix.origin === 'pk') continue;
      if (ix.origin === 'u') {
        constraints.push({ name: null, kind: 'unique', columns: cols, definition: `UNIQUE (${cols.join(', ')})`, references: null });
        continue;
      }
      indexes.push({ name, columns: cols, unique: Number(ix.uq) === 1, method: null, where: Number(ix.partial) === 1 ? parsed.where : null, include: [], valid: true });
    }
    const tableTriggers: TriggerInfo[] = triggers.filter((tr) => tr.tbl_name === t.name).map((tr) => ({ name: tr.name, definition: body(str(tr.sql), 'TRIGGER') }));
    const options: Record<string, string> = {};
    if (kind?.wr) options['without rowid'] = 'yes';
    if (kind?.strict) options.strict = 'yes';
    if (isVirtual) options.virtual = normalizeSql(sql.slice(maskQuoted(sql).search(/\bUSING\b/i)));
    tables.push({
      schema: 'main',
      name: t.name,
      columns,
      indexes: sortedBy(indexes, (i) => i.name),
      constraints: sortedBy(constraints, (c) => `${c.kind}:${c.definition}`),
      triggers: sortedBy(tableTriggers, (x) => x.name),
      options,
    });
  }

  const views: ViewInfo[] = master
    .filter((m) => m.type === 'view')
    .map((v) => {
      const instead = triggers.filter((tr) => tr.tbl_name === v.name).map((tr) => ` TRIGGER ${tr.name} ${body(str(tr.sql), 'TRIGGER')}`);
      return { schema: 'main', name: v.name, materialized: false, definition: body(str(v.sql), 'VIEW') + sortedBy(instead, (x) => x).join('') };
    });

  return {
    engine: 'sqlite',
    defaultSchema: 'main',
    schemas: [],
    extensions: [],
    tables: sortedBy(tables, (t) => t.name),
    views: sortedBy(views, (v) => v.name),
    routines: [],
    sequences: [],
    types: [],
  };
}

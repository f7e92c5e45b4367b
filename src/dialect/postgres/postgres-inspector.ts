/**
 * Inspect a PostgreSQL database's schema from pg_catalog into the neutral `SchemaSnapshot`
 * (src/schema/schema-snapshot.ts). Works on PostgreSQL 12+ and on PGlite.
 *
 * Covers every non-system schema (not pg_catalog, information_schema, pg_toast*, pg_temp_*), and
 * leaves out what extensions own (their functions, types, tables). Read-only: a handful of
 * catalog queries, no locks beyond AccessShare on the catalogs.
 *
 * Not covered: privileges, ownership, comments, row-level-security policies (the table option
 * `row level security` is), statistics objects, publications, event triggers, indexes on
 * materialized views.
 */
import { normalizeSql, parenGroup, shortPostgresType, sortedBy, splitTopLevel } from '../../schema/normalize-sql.js';
import type {
  ColumnInfo,
  ConstraintInfo,
  ConstraintKind,
  IndexInfo,
  RoutineInfo,
  RoutineKind,
  SchemaSnapshot,
  SequenceInfo,
  TableInfo,
  TriggerInfo,
  TypeInfo,
  ViewInfo,
} from '../../schema/schema-snapshot.js';
import type { Connection, Row } from '../driver.js';

/** User schemas only. `n` is pg_namespace. */
const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_)'`;

/** Not created by an extension (`CREATE EXTENSION`). */
function notFromExtension(catalog: string, oid: string): string {
  return `NOT EXISTS (SELECT 1 FROM pg_depend de WHERE de.classid = '${catalog}'::regclass AND de.objid = ${oid} AND de.deptype = 'e')`;
}

/** Separator for lists aggregated in SQL (never in an identifier a person typed). */
const SEP = '\u001f';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const opt = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const list = (v: unknown): string[] => (v === null || v === undefined || v === '' ? [] : String(v).split(SEP));

const FK_ACTIONS: Readonly<Record<string, string>> = { a: 'NO ACTION', r: 'RESTRICT', c: 'CASCADE', n: 'SET NULL', d: 'SET DEFAULT' };
const CONSTRAINT_KINDS: Readonly<Record<string, ConstraintKind>> = { p: 'primary key', f: 'foreign key', u: 'unique', c: 'check', x: 'exclude' };
const ROUTINE_KINDS: Readonly<Record<string, RoutineKind>> = { f: 'function', p: 'procedure', a: 'aggregate', w: 'window' };
const VOLATILITY: Readonly<Record<string, string>> = { i: 'immutable', s: 'stable', v: 'volatile' };
const PARALLEL: Readonly<Record<string, string>> = { s: 'parallel safe', r: 'parallel restricted', u: 'parallel unsafe' };

/**
 * Key columns and INCLUDE columns from `pg_get_indexdef()` text
 * (`CREATE INDEX i ON s.t USING btree (a DESC, lower(b)) INCLUDE (c) WHERE ...`).
 */
export function parseIndexDef(def: string): { columns: string[]; include: string[] } {
  const using = def.search(/ USING \S+ \(/);
  if (using < 0) return { columns: [], include: [] };
  const keys = parenGroup(def, def.indexOf('(', using));
  if (!keys) return { columns: [], include: [] };
  const rest = def.slice(keys.end);
  const inc = /^\s*INCLUDE \(/.exec(rest) ? parenGroup(rest, rest.indexOf('(')) : undefined;
  return { columns: splitTopLevel(keys.inner).map(normalizeSql), include: inc ? splitTopLevel(inc.inner).map(normalizeSql) : [] };
}

interface RelRow extends Row {
  oid: unknown;
  schema: string;
  name: string;
}

export async function inspectPostgresSchema(conn: Connection): Promise<SchemaSnapshot> {
  const q = <T extends Row>(sql: string) => conn.query<T>(sql);
  const defaultSchema = (await q<{ s: string | null }>('SELECT current_schema() AS s'))[0]?.s ?? 'public';

  const schemas = (await q<{ nspname: string }>(`SELECT n.nspname FROM pg_namespace n WHERE ${USER_NS} AND ${notFromExtension('pg_namespace', 'n.oid')}`)).map((r) => r.nspname);
  const extensions = (await q<{ extname: string; extversion: string }>(`SELECT extname, extversion FROM pg_extension WHERE extname <> 'plpgsql'`)).map((r) => ({ name: r.extname, version: r.extversion }));

  const tableRows = await q<RelRow & { relkind: string; partkey: string | null; parent: string | null; bound: string | null; rls: boolean; forcerls: boolean; persistence: string }>(
    `SELECT c.oid::text AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
            CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
            (SELECT pn.nspname || '.' || pc.relname FROM pg_inherits i JOIN pg_class pc ON pc.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid LIMIT 1) AS parent,
            pg_get_expr(c.relpartbound, c.oid) AS bound,
            c.relrowsecurity AS rls, c.relforcerowsecurity AS forcerls, c.relpersistence::text AS persistence
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NS} AND ${notFromExtension('pg_class', 'c.oid')}`,
  );

  const columnRows = await q<Row & { oid: string; attname: string; attnum: number; type: string; notnull: boolean; def: string | null; identity: string; generated: string; collation: string | null }>(
    `SELECT a.attrelid::text AS oid, a.attname, a.attnum, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS notnull,
            pg_get_expr(ad.adbin, ad.adrelid) AS def, a.attidentity::text AS identity, a.attgenerated::text AS generated,
            CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN co.collname END AS collation
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
       LEFT JOIN pg_collation co ON co.oid = a.attcollation
      WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND ${USER_NS}`,
  );

  const indexRows = await q<Row & { oid: string; name: string; unique: boolean; valid: boolean; method: string; pred: string | null; def: string }>(
    `SELECT i.indrelid::text AS oid, ic.relname AS name, i.indisunique AS unique, i.indisvalid AS valid, am.amname AS method,
            pg_get_expr(i.indpred, i.indrelid, true) AS pred, pg_get_indexdef(i.indexrelid) AS def
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_am am ON am.oid = ic.relam
      WHERE c.relkind IN ('r', 'p', 'f') AND ${USER_NS}
        AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid AND k.contype IN ('p', 'u', 'x'))`,
  );

  const constraintRows = await q<Row & { oid: string; name: string; type: string; def: string; cols: string | null; fschema: string | null; ftable: string | null; fcols: string | null; upd: string | null; del: string | null }>(
    `SELECT k.conrelid::text AS oid, k.conname AS name, k.contype::text AS type, pg_get_constraintdef(k.oid, true) AS def,
            (SELECT string_agg(a.attname, E'${SEP}' ORDER BY u.ord) FROM unnest(k.conkey) WITH ORDINALITY u(num, ord) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num) AS cols,
            fn.nspname AS fschema, fc.relname AS ftable,
            (SELECT string_agg(a.attname, E'${SEP}' ORDER BY u.ord) FROM unnest(k.confkey) WITH ORDINALITY u(num, ord) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num) AS fcols,
            k.confupdtype::text AS upd, k.confdeltype::text AS del
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class fc ON fc.oid = k.confrelid LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
      WHERE k.contype IN ('p', 'f', 'u', 'c', 'x') AND c.relkind IN ('r', 'p', 'f') AND ${USER_NS}`,
  );

  const triggerRows = await q<Row & { oid: string; name: string; def: string; enabled: string }>(
    `SELECT t.tgrelid::text AS oid, t.tgname AS name, pg_get_triggerdef(t.oid, true) AS def, t.tgenabled::text AS enabled
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE NOT t.tgisinternal AND c.relkind IN ('r', 'p', 'f') AND ${USER_NS}`,
  );

  const byTable = <T extends { oid: unknown }>(rows: readonly T[]) => {
    const m = new Map<string, T[]>();
    for (const r of rows) {
      const k = str(r.oid);
      const a = m.get(k);
      if (a) a.push(r);
      else m.set(k, [r]);
    }
    return (oid: unknown) => m.get(str(oid)) ?? [];
  };
  const colsOf = byTable(columnRows);
  const idxOf = byTable(indexRows);
  const conOf = byTable(constraintRows);
  const trgOf = byTable(triggerRows);

  const tables: TableInfo[] = tableRows.map((t) => {
    const columns: ColumnInfo[] = sortedBy(colsOf(t.oid), (c) => String(c.attnum).padStart(6, '0')).map((c) => {
      const generated = c.generated === 's' ? `${str(c.def)} stored` : c.generated === 'v' ? `${str(c.def)} virtual` : null;
      return {
        name: c.attname,
        position: Number(c.attnum),
        type: shortPostgresType(c.type),
        nullable: !c.notnull,
        default: generated ? null : opt(c.def),
        generated,
        identity: c.identity === 'a' ? 'always' : c.identity === 'd' ? 'by default' : null,
        collation: opt(c.collation),
      };
    });
    const indexes: IndexInfo[] = sortedBy(idxOf(t.oid), (i) => i.name).map((i) => {
      const parsed = parseIndexDef(i.def);
      return {
        name: i.name,
        columns: parsed.columns,
        unique: i.unique === true,
        method: i.def.includes(' NULLS NOT DISTINCT') ? `${i.method} nulls not distinct` : i.method,
        where: i.pred === null ? null : normalizeSql(i.pred),
        include: parsed.include,
        valid: i.valid !== false,
      };
    });
    const constraints: ConstraintInfo[] = sortedBy(conOf(t.oid), (c) => c.name).map((c) => ({
      name: c.name,
      kind: CONSTRAINT_KINDS[c.type] ?? 'check',
      columns: list(c.cols),
      definition: normalizeSql(c.def),
      references:
        c.type === 'f'
          ? { schema: str(c.fschema), table: str(c.ftable), columns: list(c.fcols), onUpdate: FK_ACTIONS[str(c.upd)] ?? str(c.upd), onDelete: FK_ACTIONS[str(c.del)] ?? str(c.del) }
          : null,
    }));
    const triggers: TriggerInfo[] = sortedBy(trgOf(t.oid), (x) => x.name).map((x) => ({
      name: x.name,
      definition: normalizeSql(x.def) + (x.enabled === 'D' ? ' DISABLED' : ''),
    }));
    const options: Record<string, string> = {};
    if (t.relkind === 'f') options['foreign table'] = 'yes';
    if (t.partkey) options['partition by'] = t.partkey;
    if (t.parent) options[t.bound ? 'partition of' : 'inherits'] = t.bound ? `${t.parent} ${t.bound}` : t.parent;
    if (t.rls) options['row level security'] = t.forcerls ? 'forced' : 'enabled';
    if (t.persistence === 'u') options.unlogged = 'yes';
    return { schema: t.schema, name: t.name, columns, indexes, constraints, triggers, options };
  });

  const views: ViewInfo[] = (
    await q<Row & { schema: string; name: string; relkind: string; def: string | null }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, pg_get_viewdef(c.oid, true) AS def
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('v', 'm') AND ${USER_NS} AND ${notFromExtension('pg_class', 'c.oid')}`,
    )
  ).map((v) => ({ schema: v.schema, name: v.name, materialized: v.relkind === 'm', definition: normalizeSql(str(v.def)) }));

  const routines: RoutineInfo[] = (
    await q<Row & { schema: string; name: string; kind: string; args: string; returns: string | null; lang: string; vol: string; strict: boolean; secdef: boolean; leakproof: boolean; parallel: string; config: string | null; body: string | null }>(
      `SELECT n.nspname AS schema, p.proname AS name, p.prokind::text AS kind, pg_get_function_identity_arguments(p.oid) AS args,
              CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns, l.lanname AS lang,
              p.provolatile::text AS vol, p.proisstrict AS strict, p.prosecdef AS secdef, p.proleakproof AS leakproof,
              p.proparallel::text AS parallel, array_to_string(p.proconfig, ' ') AS config,
              CASE WHEN p.prokind <> 'a' AND coalesce(p.prosrc, '') = '' THEN pg_get_functiondef(p.oid) ELSE p.prosrc END AS body
         FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
        WHERE ${USER_NS} AND ${notFromExtension('pg_proc', 'p.oid')}`,
    )
  ).map((r) => ({
    schema: r.schema,
    name: r.name,
    kind: ROUTINE_KINDS[r.kind] ?? 'function',
    arguments: r.args,
    returns: opt(r.returns),
    language: r.lang,
    attributes: [
      r.kind === 'p' ? '' : VOLATILITY[r.vol] ?? r.vol,
      r.strict ? 'strict' : '',
      r.secdef ? 'security definer' : '',
      r.leakproof ? 'leakproof' : '',
      r.kind === 'p' ? '' : PARALLEL[r.parallel] ?? '',
      r.config ? `set ${r.config}` : '',
    ]
      .filter(Boolean)
      .join(' '),
    definition: normalizeSql(str(r.body)),
  }));

  const sequences: SequenceInfo[] = (
    await q<Row & { schema: string; name: string; type: string; start: string; inc: string; min: string; max: string; cache: string; cycle: boolean; otable: string | null; ocolumn: string | null }>(
      `SELECT n.nspname AS schema, c.relname AS name, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start,
              s.seqincrement::text AS inc, s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
              dc.relname AS otable, a.attname AS ocolumn
         FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i')
         LEFT JOIN pg_class dc ON dc.oid = d.refobjid
         LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
        WHERE ${USER_NS} AND ${notFromExtension('pg_class', 'c.oid')}`,
    )
  ).map((s) => ({
    schema: s.schema,
    name: s.name,
    definition: `as ${s.type} start ${s.start} increment ${s.inc} min ${s.min} max ${s.max} cache ${s.cache}${s.cycle ? ' cycle' : ''}`,
    ownedBy: s.otable && s.ocolumn ? { table: s.otable, column: s.ocolumn } : null,
  }));

  const types: TypeInfo[] = (
    await q<Row & { schema: string; name: string; typtype: string; def: string | null }>(
      `SELECT n.nspname AS schema, t.typname AS name, t.typtype::text AS typtype,
              CASE t.typtype
                WHEN 'e' THEN '(' || (SELECT string_agg(quote_literal(e.enumlabel), ', ' ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid) || ')'
                WHEN 'd' THEN format_type(t.typbasetype, t.typtypmod)
                              || CASE WHEN t.typdefault IS NOT NULL THEN ' DEFAULT ' || t.typdefault ELSE '' END
                              || CASE WHEN t.typnotnull THEN ' NOT NULL' ELSE '' END
                              || coalesce((SELECT ' ' || string_agg('CONSTRAINT ' || quote_ident(k.conname) || ' ' || pg_get_constraintdef(k.oid, true), ' ' ORDER BY k.conname) FROM pg_constraint k WHERE k.contypid = t.oid), '')
                WHEN 'c' THEN '(' || (SELECT string_agg(quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum) FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped) || ')'
                WHEN 'r' THEN (SELECT 'range of ' || format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid)
              END AS def
         FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE ${USER_NS} AND ${notFromExtension('pg_type', 't.oid')}
          AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c'))`,
    )
  ).map((t) => ({
    schema: t.schema,
    name: t.name,
    kind: t.typtype === 'e' ? 'enum' : t.typtype === 'd' ? 'domain' : t.typtype === 'r' ? 'range' : 'composite',
    definition: normalizeSql(str(t.def)),
  }));

  return {
    engine: 'postgres',
    defaultSchema,
    schemas: sortedBy(schemas, (s) => s),
    extensions: sortedBy(extensions, (e) => e.name),
    tables: sortedBy(tables, (t) => `${t.schema}.${t.name}`),
    views: sortedBy(views, (v) => `${v.schema}.${v.name}`),
    routines: sortedBy(routines, (r) => `${r.schema}.${r.name}(${r.arguments})`),
    sequences: sortedBy(sequences, (s) => `${s.schema}.${s.name}`),
    types: sortedBy(types, (t) => `${t.schema}.${t.name}`),
  };
}

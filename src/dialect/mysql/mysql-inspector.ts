/**
 * Inspect the current MySQL / MariaDB database (`DATABASE()`) from information_schema into the
 * neutral `SchemaSnapshot` (src/schema/schema-snapshot.ts). Works on MySQL 8 and MariaDB 10.3+
 * (older servers without CHECK_CONSTRAINTS simply report no checks).
 *
 * Mapping: the PRIMARY index is the primary-key constraint; UNIQUE constraints are unique indexes
 * (that is what MySQL makes of them); FOREIGN KEY and CHECK constraints are constraints. Note that
 * MySQL creates an index for a foreign key when none exists and keeps it when the key is dropped:
 * a down that drops only the constraint leaves that index, and the snapshot shows it. View
 * definitions are shown without the database-name qualifiers MySQL adds. MariaDB sequences are
 * listed from SHOW CREATE SEQUENCE.
 *
 * Not covered: privileges, definers, comments, scheduled events, partitioning details,
 * AUTO_INCREMENT counters (data).
 */
import { normalizeSql, sortedBy } from '../../schema/normalize-sql.js';
import type { ColumnInfo, ConstraintInfo, IndexInfo, RoutineInfo, SchemaSnapshot, SequenceInfo, TableInfo, TriggerInfo, ViewInfo } from '../../schema/schema-snapshot.js';
import type { Connection, Row } from '../driver.js';

const str = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const quoteId = (name: string): string => `\`${name.replace(/`/g, '``')}\``;

function groupBy<T>(rows: readonly T[], key: (r: T) => string): (k: string) => T[] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const a = m.get(k);
    if (a) a.push(r);
    else m.set(k, [r]);
  }
  return (k) => m.get(k) ?? [];
}

/** `select \`db\`.\`t\`.\`a\` AS \`a\` from \`db\`.\`t\`` -> `select \`t\`.\`a\` AS \`a\` from \`t\``. */
function withoutDatabase(sql: string, db: string): string {
  return sql.split(`${quoteId(db)}.`).join('');
}

/** Extra -> generated kind (MySQL: `VIRTUAL GENERATED`/`STORED GENERATED`; MariaDB: `VIRTUAL`/`PERSISTENT`/`STORED`). */
function generatedKind(extra: string): string | null {
  const e = extra.toUpperCase();
  if (/\bVIRTUAL\b/.test(e)) return 'virtual';
  if (/\b(STORED|PERSISTENT)\b/.test(e)) return 'stored';
  return null;
}

export async function inspectMysqlSchema(conn: Connection): Promise<SchemaSnapshot> {
  const q = <T extends Row>(sql: string, params: unknown[] = []) => conn.query<T>(sql, params);
  const db = str((await q<{ db: unknown }>('SELECT DATABASE() AS db'))[0]?.db);

  const tableRows = await q<{ name: string; type: string; engine: string | null; collation: string | null }>(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_COLLATION AS collation
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ?`,
    [db],
  );
  const baseTables = tableRows.filter((t) => t.type === 'BASE TABLE' || t.type === 'SYSTEM VERSIONED');

  const columnRows = await q<{ tbl: string; name: string; pos: unknown; def: string | null; nullable: string; type: string; collation: string | null; extra: string | null; gen: string | null }>(
    `SELECT TABLE_NAME AS tbl, COLUMN_NAME AS name, ORDINAL_POSITION AS pos, COLUMN_DEFAULT AS def, IS_NULLABLE AS nullable,
            COLUMN_TYPE AS type, COLLATION_NAME AS collation, EXTRA AS extra, GENERATION_EXPRESSION AS gen
       FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ?`,
    [db],
  );
  const statRows = await q<Row>(`SELECT * FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`, [db]);
  const fkRows = await q<{ tbl: string; name: string; col: string; pos: unknown; rschema: string; rtable: string; rcol: string; upd: string; del: string }>(
    `SELECT k.TABLE_NAME AS tbl, k.CONSTRAINT_NAME AS name, k.COLUMN_NAME AS col, k.ORDINAL_POSITION AS pos,
            k.REFERENCED_TABLE_SCHEMA AS rschema, k.REFERENCED_TABLE_NAME AS rtable, k.REFERENCED_COLUMN_NAME AS rcol,
            r.UPDATE_RULE AS upd, r.DELETE_RULE AS del
       FROM information_schema.KEY_COLUMN_USAGE k
       JOIN information_schema.REFERENTIAL_CONSTRAINTS r
         ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
      WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
      ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
    [db],
  );
  let checkRows: Array<{ tbl: string; name: string; clause: string }> = [];
  try {
    const raw = await q<Row>(
      `SELECT tc.TABLE_NAME AS tbl, tc.CONSTRAINT_NAME AS cname, cc.*
         FROM information_schema.TABLE_CONSTRAINTS tc
         JOIN information_schema.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME
        WHERE tc.TABLE_SCHEMA = ? AND tc.CONSTRAINT_TYPE = 'CHECK'`,
      [db],
    );
    // MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (names are per table there); MySQL's does not.
    checkRows = raw
      .filter((r) => r.TABLE_NAME === undefined || r.TABLE_NAME === r.tbl)
      .map((r) => ({ tbl: str(r.tbl), name: str(r.cname), clause: str(r.CHECK_CLAUSE) }));
  } catch {
    checkRows = [];
  }
  const triggerRows = await q<{ name: string; event: string; tbl: string; timing: string; orientation: string; stmt: string }>(
    `SELECT TRIGGER_NAME AS name, EVENT_MANIPULATION AS event, EVENT_OBJECT_TABLE AS tbl, ACTION_TIMING AS timing,
            ACTION_ORIENTATION AS orientation, ACTION_STATEMENT AS stmt
       FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = ?`,
    [db],
  );

  const colsOf = groupBy(columnRows, (r) => r.tbl);
  const statsOf = groupBy(statRows, (r) => str(r.TABLE_NAME));
  const fksOf = groupBy(fkRows, (r) => r.tbl);
  const checksOf = groupBy(checkRows, (r) => r.tbl);
  const triggersOf = groupBy(triggerRows, (r) => r.tbl);

  const tables: TableInfo[] = baseTables.map((t) => {
    const columns: ColumnInfo[] = sortedBy(colsOf(t.name), (c) => String(Number(c.pos)).padStart(6, '0')).map((c) => {
      const extra = str(c.extra);
      const kind = generatedKind(extra);
      const onUpdate = /on update (\S+(?:\(\d*\))?)/i.exec(extra);
      let def: string | null = c.def;
      // MariaDB prints an explicit "DEFAULT NULL" as the text NULL.
      if (def === 'NULL' && c.nullable === 'YES') def = null;
      if (onUpdate) def = `${def ?? 'none'} on update ${onUpdate[1]!.toLowerCase()}`;
      return {
        name: c.name,
        position: Number(c.pos),
        type: c.type,
        nullable: c.nullable === 'YES',
        default: kind ? null : def,
        generated: kind ? `${normalizeSql(str(c.gen))} ${kind}` : null,
        identity: /auto_increment/i.test(extra) ? 'auto_increment' : null,
        collation: c.collation && c.collation !== t.collation ? c.collation : null,
      };
    });
    const byIndex = groupBy(statsOf(t.name), (r) => str(r.INDEX_NAME));
    const indexNames = [...new Set(statsOf(t.name).map((r) => str(r.INDEX_NAME)))];
    const keyPart = (r: Row): string => {
      const expr = r.EXPRESSION !== undefined && r.EXPRESSION !== null ? `(${normalizeSql(str(r.EXPRESSION))})` : str(r.COLUMN_NAME);
      const sub = r.SUB_PART !== null && r.SUB_PART !== undefined ? `(${str(r.SUB_PART)})` : '';
      return `${expr}${sub}${r.COLLATION === 'D' ? ' DESC' : ''}`;
    };
    const constraints: ConstraintInfo[] = [];
    const indexes: IndexInfo[] = [];
    for (const name of indexNames) {
      const parts = byIndex(name);
      const first = parts[0]!;
      const cols = parts.map(keyPart);
      if (name === 'PRIMARY') {
        constraints.push({ name, kind: 'primary key', columns: cols, definition: `PRIMARY KEY (${cols.join(', ')})`, references: null });
        continue;
      }
      const ignored = first.IGNORED === 'YES' || first.IS_VISIBLE === 'NO';
      indexes.push({
        name,
        columns: cols,
        unique: Number(first.NON_UNIQUE) === 0,
        method: `${str(first.INDEX_TYPE).toLowerCase()}${ignored ? ' invisible' : ''}`,
        where: null,
        include: [],
        valid: true,
      });
    }
    const fkGroups = groupBy(fksOf(t.name), (r) => r.name);
    for (const name of [...new Set(fksOf(t.name).map((r) => r.name))]) {
      const parts = fkGroups(name);
      const f = parts[0]!;
      const cols = parts.map((p) => p.col);
      const rcols = parts.map((p) => p.rcol);
      const rtable = f.rschema === db ? f.rtable : `${f.rschema}.${f.rtable}`;
      constraints.push({
        name,
        kind: 'foreign key',
        columns: cols,
        definition: `FOREIGN KEY (${cols.join(', ')}) REFERENCES ${rtable}(${rcols.join(', ')}) ON UPDATE ${f.upd} ON DELETE ${f.del}`,
        references: { schema: f.rschema, table: f.rtable, columns: rcols, onUpdate: f.upd, onDelete: f.del },
      });
    }
    for (const c of checksOf(t.name)) {
      constraints.push({ name: c.name, kind: 'check', columns: [], definition: `CHECK (${normalizeSql(c.clause)})`, references: null });
    }
    const triggers: TriggerInfo[] = sortedBy(triggersOf(t.name), (x) => x.name).map((x) => ({
      name: x.name,
      definition: `${x.timing} ${x.event} FOR EACH ${x.orientation} ${normalizeSql(withoutDatabase(x.stmt, db))}`,
    }));
    const options: Record<string, string> = {};
    if (t.engine) options.engine = t.engine;
    if (t.collation) options.collation = t.collation;
    if (t.type === 'SYSTEM VERSIONED') options['system versioned'] = 'yes';
    return { schema: db, name: t.name, columns, indexes: sortedBy(indexes, (i) => i.name), constraints: sortedBy(constraints, (c) => str(c.name)), triggers, options };
  });

  const views: ViewInfo[] = (
    await q<{ name: string; def: string | null; check_opt: string | null; sec_type: string | null }>(
      `SELECT TABLE_NAME AS name, VIEW_DEFINITION AS def, CHECK_OPTION AS check_opt, SECURITY_TYPE AS sec_type FROM information_schema.VIEWS WHERE TABLE_SCHEMA = ?`,
      [db],
    )
  ).map((v) => ({
    schema: db,
    name: v.name,
    materialized: false,
    definition:
      normalizeSql(withoutDatabase(str(v.def), db)) +
      (v.check_opt && v.check_opt !== 'NONE' ? ` WITH ${v.check_opt} CHECK OPTION` : '') +
      (v.sec_type && v.sec_type !== 'DEFINER' ? ` SQL SECURITY ${v.sec_type}` : ''),
  }));

  const paramRows = await q<{ routine: string; rtype: string; pos: unknown; mode: string | null; name: string | null; type: string }>(
    `SELECT SPECIFIC_NAME AS routine, ROUTINE_TYPE AS rtype, ORDINAL_POSITION AS pos, PARAMETER_MODE AS mode, PARAMETER_NAME AS name, DTD_IDENTIFIER AS type
       FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = ? AND ORDINAL_POSITION > 0`,
    [db],
  );
  const paramsOf = groupBy(paramRows, (p) => `${p.rtype}:${p.routine}`);
  const routines: RoutineInfo[] = (
    await q<{ name: string; type: string; returns: string | null; body: string | null; definition: string | null; is_det: string; data_access: string; sec_type: string }>(
      `SELECT ROUTINE_NAME AS name, ROUTINE_TYPE AS type, DTD_IDENTIFIER AS returns, ROUTINE_BODY AS body, ROUTINE_DEFINITION AS definition,
              IS_DETERMINISTIC AS is_det, SQL_DATA_ACCESS AS data_access, SECURITY_TYPE AS sec_type
         FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ?`,
      [db],
    )
  ).map((r) => {
    const isProc = r.type === 'PROCEDURE';
    const args = sortedBy(paramsOf(`${r.type}:${r.name}`), (p) => String(Number(p.pos)).padStart(6, '0'))
      .map((p) => `${isProc && p.mode ? `${p.mode} ` : ''}${p.name ?? ''} ${p.type}`.trim())
      .join(', ');
    return {
      schema: db,
      name: r.name,
      kind: isProc ? ('procedure' as const) : ('function' as const),
      arguments: args,
      returns: isProc ? null : r.returns,
      language: str(r.body).toLowerCase(),
      attributes: [r.is_det === 'YES' ? 'deterministic' : 'not deterministic', str(r.data_access).toLowerCase(), `sql security ${str(r.sec_type).toLowerCase()}`].join(' '),
      definition: normalizeSql(withoutDatabase(str(r.definition), db)),
    };
  });

  const sequences: SequenceInfo[] = [];
  for (const s of tableRows.filter((t) => t.type === 'SEQUENCE')) {
    const rows = await q<Row>(`SHOW CREATE SEQUENCE ${quoteId(s.name)}`);
    const text = str(rows[0]?.['Create Table'] ?? Object.values(rows[0] ?? {})[1]);
    const definition = normalizeSql(text.replace(/^CREATE SEQUENCE\s+`(?:[^`]|``)*`\s*/i, ''));
    sequences.push({ schema: db, name: s.name, definition, ownedBy: null });
  }

  return {
    engine: 'mysql',
    defaultSchema: db,
    schemas: [],
    extensions: [],
    tables: sortedBy(tables, (t) => t.name),
    views: sortedBy(views, (v) => v.name),
    routines: sortedBy(routines, (r) => `${r.name}(${r.arguments})`),
    sequences: sortedBy(sequences, (s) => s.name),
    types: [],
  };
}

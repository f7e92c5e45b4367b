/**
 * What a non-transactional SQLite migration statement left behind when its runner died.
 *
 * In SQLite one statement is atomic (outside a transaction it is its own transaction, and a hot
 * journal left by a killed process is rolled back by the next opener), so a catalog look-up answers
 * exactly for schema statements: CREATE/DROP of a table, index, view or trigger (sqlite_master) and
 * ALTER TABLE ADD/DROP/RENAME COLUMN and RENAME TO (table_info). Anything else (data changes, TEMP
 * objects, attached schemas) is 'unknown': core then stops and lets the user decide.
 */
import type { Connection } from '../driver.js';
import type { InterruptedOutcome } from '../dialect.js';

interface Cursor {
  readonly s: string;
  i: number;
}

function skipSpace(c: Cursor): void {
  for (;;) {
    const m = /^(\s+|--[^\n]*(\n|$)|\/\*[\s\S]*?(\*\/|$))/.exec(c.s.slice(c.i));
    if (!m || m[0].length === 0) return;
    c.i += m[0].length;
  }
}

/** Consume the given keywords in order (case-insensitive); false (cursor unchanged) if they are not next. */
function keywords(c: Cursor, ...words: string[]): boolean {
  const save = c.i;
  for (const w of words) {
    skipSpace(c);
    const m = /^[A-Za-z_]+/.exec(c.s.slice(c.i));
    if (!m || m[0].toUpperCase() !== w) {
      c.i = save;
      return false;
    }
    c.i += m[0].length;
  }
  return true;
}

function identifier(c: Cursor): string | undefined {
  skipSpace(c);
  const rest = c.s.slice(c.i);
  const m = /^"((?:[^"]|"")*)"|^`((?:[^`]|``)*)`|^\[([^\]]*)\]|^([A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*)/.exec(rest);
  if (!m) return undefined;
  c.i += m[0].length;
  if (m[1] !== undefined) return m[1].replace(/""/g, '"');
  if (m[2] !== undefined) return m[2].replace(/``/g, '`');
  return m[3] ?? m[4];
}

/** `[schema.]name`; schema undefined when not given. */
function qualifiedName(c: Cursor): { schema: string | undefined; name: string } | undefined {
  const first = identifier(c);
  if (first === undefined) return undefined;
  skipSpace(c);
  if (c.s[c.i] === '.') {
    c.i++;
    const second = identifier(c);
    return second === undefined ? undefined : { schema: first, name: second };
  }
  return { schema: undefined, name: first };
}

type ObjectType = 'table' | 'index' | 'view' | 'trigger';

async function exists(conn: Connection, type: ObjectType, name: string): Promise<boolean> {
  const rows = await conn.query('SELECT 1 AS x FROM sqlite_master WHERE type = ? AND name = ? COLLATE NOCASE', [type, name]);
  return rows.length > 0;
}

async function hasColumn(conn: Connection, table: string, column: string): Promise<boolean | undefined> {
  if (!(await exists(conn, 'table', table))) return undefined;
  const rows = await conn.query<{ name: string }>('SELECT name FROM pragma_table_info(?)', [table]);
  return rows.some((r) => r.name.toLowerCase() === column.toLowerCase());
}

const outcome = (applied: boolean | undefined): InterruptedOutcome =>
  applied === undefined ? 'unknown' : applied ? 'applied' : 'not-applied';

export async function probeSqliteInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome> {
  const c: Cursor = { s: sql, i: 0 };
  const inMain = (n: { schema: string | undefined } | undefined) =>
    n !== undefined && (n.schema === undefined || n.schema.toLowerCase() === 'main');

  if (keywords(c, 'CREATE')) {
    if (keywords(c, 'TEMP') || keywords(c, 'TEMPORARY')) return 'unknown';
    keywords(c, 'UNIQUE');
    let type: ObjectType | undefined;
    if (keywords(c, 'TABLE')) type = 'table';
    else if (keywords(c, 'VIRTUAL', 'TABLE')) type = 'table';
    else if (keywords(c, 'INDEX')) type = 'index';
    else if (keywords(c, 'VIEW')) type = 'view';
    else if (keywords(c, 'TRIGGER')) type = 'trigger';
    if (!type) return 'unknown';
    keywords(c, 'IF', 'NOT', 'EXISTS');
    const n = qualifiedName(c);
    if (!n || !inMain(n)) return 'unknown';
    return outcome(await exists(conn, type, n.name));
  }

  if (keywords(c, 'DROP')) {
    let type: ObjectType | undefined;
    if (keywords(c, 'TABLE')) type = 'table';
    else if (keywords(c, 'INDEX')) type = 'index';
    else if (keywords(c, 'VIEW')) type = 'view';
    else if (keywords(c, 'TRIGGER')) type = 'trigger';
    if (!type) return 'unknown';
    keywords(c, 'IF', 'EXISTS');
    const n = qualifiedName(c);
    if (!n || !inMain(n)) return 'unknown';
    return outcome(!(await exists(conn, type, n.name)));
  }

  if (keywords(c, 'ALTER', 'TABLE')) {
    const t = qualifiedName(c);
    if (!t || !inMain(t)) return 'unknown';
    if (keywords(c, 'ADD')) {
      keywords(c, 'COLUMN');
      const col = identifier(c);
      return col === undefined ? 'unknown' : outcome(await hasColumn(conn, t.name, col));
    }
    if (keywords(c, 'DROP')) {
      keywords(c, 'COLUMN');
      const col = identifier(c);
      if (col === undefined) return 'unknown';
      const has = await hasColumn(conn, t.name, col);
      return outcome(has === undefined ? undefined : !has);
    }
    if (keywords(c, 'RENAME', 'TO')) {
      const to = identifier(c);
      if (to === undefined) return 'unknown';
      const [oldThere, newThere] = [await exists(conn, 'table', t.name), await exists(conn, 'table', to)];
      if (newThere && !oldThere) return 'applied';
      if (oldThere && !newThere) return 'not-applied';
      return 'unknown';
    }
    if (keywords(c, 'RENAME')) {
      keywords(c, 'COLUMN');
      const from = identifier(c);
      if (from === undefined || !keywords(c, 'TO')) return 'unknown';
      const to = identifier(c);
      if (to === undefined) return 'unknown';
      const [oldThere, newThere] = [await hasColumn(conn, t.name, from), await hasColumn(conn, t.name, to)];
      if (newThere === true && oldThere === false) return 'applied';
      if (oldThere === true && newThere === false) return 'not-applied';
      return 'unknown';
    }
  }
  return 'unknown';
}

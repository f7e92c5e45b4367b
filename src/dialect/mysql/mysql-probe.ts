/**
 * `probeInterrupted` for MySQL/MariaDB: after a runner died while a DDL statement ran, ask the
 * catalog (information_schema) whether it took effect. MySQL DDL is not transactional, but each of
 * the statements below either happened or did not, and the catalog says which:
 *
 * - CREATE TABLE t                      t exists -> 'applied', else 'not-applied'
 * - DROP TABLE t[, u ...]               all gone -> 'applied', all there -> 'not-applied', mixed -> 'unknown'
 * - CREATE [UNIQUE|...] INDEX i ON t    index i on t exists -> 'applied', else 'not-applied'
 * - DROP INDEX i ON t                   the reverse
 * - ALTER TABLE t ADD [COLUMN] c ...    (one action only) column exists -> 'applied', else 'not-applied'
 * - ALTER TABLE t DROP [COLUMN] c       the reverse
 * - ALTER TABLE t ADD INDEX|KEY|UNIQUE [INDEX|KEY] i ... / DROP INDEX|KEY i   like CREATE/DROP INDEX
 *
 * Everything else (several ALTER actions, CREATE OR REPLACE, TEMPORARY tables, data changes,
 * executable comments, ...) is 'unknown', and so is any of the above while the same statement is
 * still running in another session (a lease taken over from a holder whose statement goes on) or
 * when the table of an index/column probe does not exist. Names may be `db`.`t` qualified;
 * unqualified ones are looked up in DATABASE().
 */
import type { InterruptedOutcome } from '../dialect.js';
import type { Connection } from '../driver.js';

interface Token {
  readonly kind: 'word' | 'quoted' | 'punct' | 'string';
  readonly text: string;
}

/** Tokens of a statement, or undefined when it holds something we do not read (executable comments). */
export function tokenizeMysql(sql: string): Token[] | undefined {
  const out: Token[] = [];
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '#' || (c === '-' && sql[i + 1] === '-' && (i + 2 >= n || sql.charCodeAt(i + 2) <= 0x20))) {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      if (sql[i + 2] === '!' || (sql[i + 2] === 'M' && sql[i + 3] === '!')) return undefined;
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === '`' || c === "'" || c === '"') {
      let k = i + 1;
      let text = '';
      while (k < n) {
        const ch = sql[k]!;
        if (ch === '\\' && c !== '`') {
          text += sql[k + 1] ?? '';
          k += 2;
          continue;
        }
        if (ch === c) {
          if (sql[k + 1] === c) {
            text += c;
            k += 2;
            continue;
          }
          break;
        }
        text += ch;
        k++;
      }
      out.push({ kind: c === '`' ? 'quoted' : 'string', text });
      i = k + 1;
    } else if (/[A-Za-z0-9_$\u0080-\uffff]/.test(c)) {
      const m = /^[A-Za-z0-9_$\u0080-\uffff]+/.exec(sql.slice(i))!;
      out.push({ kind: 'word', text: m[0] });
      i += m[0].length;
    } else {
      out.push({ kind: 'punct', text: c });
      i++;
    }
  }
  return out;
}

/** What a statement changes, in catalog terms. */
export type ProbeSubject =
  | { readonly what: 'table'; readonly create: boolean; readonly tables: ReadonlyArray<QualifiedName> }
  | { readonly what: 'index'; readonly create: boolean; readonly table: QualifiedName; readonly index: string }
  | { readonly what: 'column'; readonly create: boolean; readonly table: QualifiedName; readonly column: string };

export interface QualifiedName {
  readonly db: string | undefined;
  readonly name: string;
}

class Reader {
  i = 0;
  constructor(readonly t: Token[]) {}
  /** The next token if it is the keyword `kw` (case-insensitive, unquoted). */
  kw(...kws: string[]): boolean {
    const tok = this.t[this.i];
    if (tok?.kind === 'word' && kws.includes(tok.text.toUpperCase())) {
      this.i++;
      return true;
    }
    return false;
  }
  kwSeq(...seq: string[]): boolean {
    for (let k = 0; k < seq.length; k++) {
      const tok = this.t[this.i + k];
      if (tok?.kind !== 'word' || tok.text.toUpperCase() !== seq[k]) return false;
    }
    this.i += seq.length;
    return true;
  }
  peekKw(): string | undefined {
    const tok = this.t[this.i];
    return tok?.kind === 'word' ? tok.text.toUpperCase() : undefined;
  }
  punct(p: string): boolean {
    if (this.t[this.i]?.kind === 'punct' && this.t[this.i]!.text === p) {
      this.i++;
      return true;
    }
    return false;
  }
  ident(): string | undefined {
    const tok = this.t[this.i];
    if (tok && (tok.kind === 'word' || tok.kind === 'quoted')) {
      this.i++;
      return tok.text;
    }
    return undefined;
  }
  qualified(): QualifiedName | undefined {
    const a = this.ident();
    if (a === undefined) return undefined;
    if (this.punct('.')) {
      const b = this.ident();
      return b === undefined ? undefined : { db: a, name: b };
    }
    return { db: undefined, name: a };
  }
  get done(): boolean {
    return this.i >= this.t.length;
  }
  /** The rest of the tokens, split at commas outside parentheses (ALTER TABLE actions). */
  actions(): Token[][] {
    const out: Token[][] = [[]];
    let depth = 0;
    for (let k = this.i; k < this.t.length; k++) {
      const tok = this.t[k]!;
      if (tok.kind === 'punct') {
        if (tok.text === '(') depth++;
        else if (tok.text === ')') depth--;
        else if (tok.text === ',' && depth === 0) {
          out.push([]);
          continue;
        }
      }
      out[out.length - 1]!.push(tok);
    }
    return out;
  }
}

const INDEX_KINDS = ['UNIQUE', 'FULLTEXT', 'SPATIAL'];
const NOT_A_COLUMN = new Set(['INDEX', 'KEY', 'CONSTRAINT', 'PRIMARY', 'UNIQUE', 'FULLTEXT', 'SPATIAL', 'FOREIGN', 'PARTITION', 'PERIOD', 'SYSTEM', 'CHECK', 'VECTOR']);

/** What the statement changes, when it is one of the probed kinds (see the file comment). */
export function probeSubject(sql: string): ProbeSubject | undefined {
  const tokens = tokenizeMysql(sql);
  if (!tokens || tokens.length === 0) return undefined;
  const r = new Reader(tokens);
  if (r.kw('CREATE')) {
    if (r.kwSeq('OR', 'REPLACE')) return undefined;
    if (r.kw('TABLE')) {
      r.kwSeq('IF', 'NOT', 'EXISTS');
      const t = r.qualified();
      return t ? { what: 'table', create: true, tables: [t] } : undefined;
    }
    r.kw('ONLINE', 'OFFLINE');
    r.kw(...INDEX_KINDS);
    if (!r.kw('INDEX')) return undefined;
    r.kwSeq('IF', 'NOT', 'EXISTS');
    const index = r.ident();
    if (index === undefined) return undefined;
    if (r.kw('USING')) r.ident();
    if (!r.kw('ON')) return undefined;
    const table = r.qualified();
    return table ? { what: 'index', create: true, table, index } : undefined;
  }
  if (r.kw('DROP')) {
    if (r.kw('TABLE')) {
      r.kwSeq('IF', 'EXISTS');
      const tables: QualifiedName[] = [];
      for (;;) {
        const t = r.qualified();
        if (!t) return undefined;
        tables.push(t);
        if (!r.punct(',')) break;
      }
      r.kw('RESTRICT', 'CASCADE');
      return r.done ? { what: 'table', create: false, tables } : undefined;
    }
    if (r.kw('INDEX')) {
      r.kw('ONLINE', 'OFFLINE');
      r.kwSeq('IF', 'EXISTS');
      const index = r.ident();
      if (index === undefined || !r.kw('ON')) return undefined;
      const table = r.qualified();
      return table ? { what: 'index', create: false, table, index } : undefined;
    }
    return undefined;
  }
  if (r.kw('ALTER')) {
    r.kw('ONLINE', 'OFFLINE');
    r.kw('IGNORE');
    if (!r.kw('TABLE')) return undefined;
    r.kwSeq('IF', 'EXISTS');
    const table = r.qualified();
    if (!table) return undefined;
    if (r.kw('WAIT')) r.ident();
    else r.kw('NOWAIT');
    // One action, apart from ALGORITHM=... / LOCK=... options.
    const actions = r.actions().filter((a) => !(a[0]?.kind === 'word' && /^(ALGORITHM|LOCK)$/i.test(a[0].text)));
    if (actions.length !== 1) return undefined;
    return alterAction(new Reader(actions[0]!), table);
  }
  return undefined;
}

function alterAction(r: Reader, table: QualifiedName): ProbeSubject | undefined {
  const tokens = r.t;
  const add = r.kw('ADD');
  if (!add && !r.kw('DROP')) return undefined;
  const next = r.peekKw();
  if (next === 'INDEX' || next === 'KEY' || (add && next === 'UNIQUE')) {
    r.kw('UNIQUE');
    r.kw('INDEX', 'KEY');
    if (add) r.kwSeq('IF', 'NOT', 'EXISTS');
    else r.kwSeq('IF', 'EXISTS');
    const tok = tokens[r.i];
    if (!tok || tok.kind === 'punct' || (tok.kind === 'word' && tok.text.toUpperCase() === 'USING')) return undefined; // unnamed
    const index = r.ident();
    return index === undefined ? undefined : { what: 'index', create: add, table, index };
  }
  if (next !== undefined && NOT_A_COLUMN.has(next)) return undefined;
  r.kw('COLUMN');
  if (add) r.kwSeq('IF', 'NOT', 'EXISTS');
  else r.kwSeq('IF', 'EXISTS');
  if (tokens[r.i]?.kind === 'punct') return undefined; // ADD COLUMN (a ..., b ...)
  const column = r.ident();
  if (column === undefined) return undefined;
  if (!add && !r.done && !r.kw('RESTRICT', 'CASCADE')) return undefined;
  return { what: 'column', create: add, table, column };
}

async function count(conn: Connection, sql: string, params: unknown[]): Promise<number> {
  const rows = await conn.query(sql, params);
  return Number(rows[0]?.n ?? 0);
}

function tableExists(conn: Connection, t: QualifiedName): Promise<number> {
  return count(conn, 'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ?', [t.db ?? null, t.name]);
}

export async function probeMysqlInterrupted(conn: Connection, sql: string): Promise<InterruptedOutcome> {
  const subject = probeSubject(sql);
  if (!subject) return 'unknown';
  // Still running elsewhere (only visible for this user's sessions or with the PROCESS privilege)?
  const running = await count(conn, 'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND INFO = ?', [sql]);
  if (running > 0) return 'unknown';
  const outcome = (present: boolean, create: boolean): InterruptedOutcome => (present === create ? 'applied' : 'not-applied');
  if (subject.what === 'table') {
    let present = 0;
    for (const t of subject.tables) present += (await tableExists(conn, t)) > 0 ? 1 : 0;
    if (present !== 0 && present !== subject.tables.length) return 'unknown';
    return outcome(present > 0, subject.create);
  }
  if ((await tableExists(conn, subject.table)) === 0) return 'unknown';
  const t = subject.table;
  const present =
    subject.what === 'index'
      ? await count(conn, 'SELECT COUNT(*) AS n FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND INDEX_NAME = ?', [t.db ?? null, t.name, subject.index])
      : await count(conn, 'SELECT COUNT(*) AS n FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?', [t.db ?? null, t.name, subject.column]);
  return outcome(present > 0, subject.create);
}

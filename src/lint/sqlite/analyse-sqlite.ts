/**
 * SQLite analyser: a tokenizer (`sql-tokens.ts`: SQLite's quoting and comments) and a small
 * recursive-descent reader for the statements the rules need, following SQLite's grammar
 * (sqlite.org/lang_altertable.html, lang_createtable.html): ALTER TABLE (RENAME TO, RENAME COLUMN,
 * ADD COLUMN, DROP COLUMN), CREATE/DROP TABLE, CREATE/DROP INDEX, DELETE, and transaction control.
 * node-sql-parser's SQLite grammar was not used: it rejects BEGIN, COMMIT, PRAGMA and
 * `RENAME a TO b`, all common in SQLite migrations.
 *
 * An ALTER, CREATE/DROP TABLE or INDEX that does not follow that grammar is 'unparsable'; any
 * other statement (INSERT, PRAGMA, CREATE TRIGGER/VIEW) is 'skipped'.
 */
import type { StatementAnalyser, StatementAnalysis } from '../analyse-statement.js';
import type { ColumnSpec, Operation, TableRef, TypeRef } from '../operation.js';
import { isName, splitTopLevel, tokenize, type Token } from '../sql-tokens.js';

export async function createSqliteAnalyser(): Promise<StatementAnalyser> {
  return analyseSqlite;
}

class Reader {
  i = 0;
  constructor(readonly t: readonly Token[]) {}
  peek(k = 0): Token | undefined {
    return this.t[this.i + k];
  }
  is(...words: string[]): boolean {
    return words.every((w, k) => this.t[this.i + k]?.kind === 'word' && this.t[this.i + k]!.upper === w);
  }
  eat(...words: string[]): boolean {
    if (!this.is(...words)) return false;
    this.i += words.length;
    return true;
  }
  name(): Token | undefined {
    const t = this.peek();
    if (!isName(t)) return undefined;
    this.i++;
    return t;
  }
  /** `[schema.]name` */
  table(): TableRef | undefined {
    const a = this.name();
    if (!a) return undefined;
    if (this.peek()?.text === '.') {
      this.i++;
      const b = this.name();
      return b ? { schema: a.text, name: b.text } : undefined;
    }
    return { name: a.text };
  }
  done(): boolean {
    return this.i >= this.t.length;
  }
}

class Unparsable extends Error {}

export function analyseSqlite(sql: string): StatementAnalysis {
  const tokens = tokenize(sql, 'sqlite');
  const r = new Reader(tokens);
  const at = tokens[0]?.start;
  try {
    const ops = read(r, tokens);
    if (ops === undefined) return { status: 'skipped', ops: [] };
    return { status: 'analysed', ops: ops.map((o) => (at !== undefined && o.at === undefined ? { ...o, at } : o)) };
  } catch (e) {
    if (!(e instanceof Unparsable)) throw e;
    return { status: 'unparsable', parseProblem: `not valid SQLite ${e.message} syntax as far as the linter reads it`, ops: [] };
  }
}

function need<T>(v: T | undefined, what: string): T {
  if (v === undefined) throw new Unparsable(what);
  return v;
}

/** The operations of one statement, or undefined for a statement no rule needs. */
function read(r: Reader, tokens: readonly Token[]): Operation[] | undefined {
  if (r.eat('BEGIN')) {
    r.eat('DEFERRED') || r.eat('IMMEDIATE') || r.eat('EXCLUSIVE');
    r.eat('TRANSACTION');
    return r.done() ? [{ kind: 'transaction-control', action: 'BEGIN' }] : undefined;
  }
  if (r.is('COMMIT') || r.is('END') || (r.is('ROLLBACK') && !tokens.some((t) => t.upper === 'TO'))) {
    const action = r.peek()!.upper;
    r.i++;
    r.eat('TRANSACTION');
    return r.done() ? [{ kind: 'transaction-control', action }] : undefined;
  }
  if (r.eat('ALTER', 'TABLE')) return [alterTable(r)];
  if (r.eat('DROP', 'TABLE')) {
    r.eat('IF', 'EXISTS');
    const table = need(r.table(), 'DROP TABLE');
    if (!r.done()) throw new Unparsable('DROP TABLE');
    return [{ kind: 'drop-table', table }];
  }
  if (r.eat('DROP', 'INDEX')) {
    r.eat('IF', 'EXISTS');
    const t = need(r.table(), 'DROP INDEX');
    return [{ kind: 'drop-index', name: t.name, concurrent: false }];
  }
  if (r.eat('CREATE')) {
    const unique = r.eat('UNIQUE');
    if (r.eat('INDEX')) return [createIndex(r, unique)];
    if (unique) throw new Unparsable('CREATE UNIQUE INDEX');
    r.eat('TEMP') || r.eat('TEMPORARY');
    if (r.eat('TABLE')) return [createTable(r)];
    return undefined;
  }
  if (r.eat('DELETE', 'FROM')) {
    const table = need(r.table(), 'DELETE');
    let depth = 0;
    for (const t of tokens.slice(r.i)) {
      if (t.text === '(') depth++;
      if (t.text === ')') depth--;
      if (depth === 0 && t.kind === 'word' && t.upper === 'WHERE') return [];
    }
    return [{ kind: 'truncate', table, via: 'delete' }];
  }
  return undefined;
}

function alterTable(r: Reader): Operation {
  const table = need(r.table(), 'ALTER TABLE');
  if (r.eat('RENAME', 'TO')) {
    const to = need(r.name(), 'ALTER TABLE');
    if (!r.done()) throw new Unparsable('ALTER TABLE');
    return { kind: 'rename-table', table, to: { name: to.text } };
  }
  if (r.eat('RENAME')) {
    r.eat('COLUMN');
    const from = need(r.name(), 'ALTER TABLE');
    if (!r.eat('TO')) throw new Unparsable('ALTER TABLE');
    const to = need(r.name(), 'ALTER TABLE');
    if (!r.done()) throw new Unparsable('ALTER TABLE');
    return { kind: 'rename-column', table, from: from.text, to: to.text };
  }
  if (r.eat('ADD')) {
    r.eat('COLUMN');
    const column = columnSpec(r.t.slice(r.i));
    return { kind: 'add-column', table, column };
  }
  if (r.eat('DROP')) {
    r.eat('COLUMN');
    const col = need(r.name(), 'ALTER TABLE');
    if (!r.done()) throw new Unparsable('ALTER TABLE');
    return { kind: 'drop-column', table, column: col.text };
  }
  throw new Unparsable('ALTER TABLE');
}

function createIndex(r: Reader, unique: boolean): Operation {
  r.eat('IF', 'NOT', 'EXISTS');
  const idx = need(r.table(), 'CREATE INDEX');
  if (!r.eat('ON')) throw new Unparsable('CREATE INDEX');
  const table = need(r.table(), 'CREATE INDEX');
  return { kind: 'create-index', table: idx.schema ? { schema: idx.schema, name: table.name } : table, name: idx.name, unique, concurrent: false };
}

function createTable(r: Reader): Operation {
  r.eat('IF', 'NOT', 'EXISTS');
  const table = need(r.table(), 'CREATE TABLE');
  if (r.eat('AS')) return { kind: 'create-table', table, columns: [] };
  if (r.peek()?.text !== '(') throw new Unparsable('CREATE TABLE');
  r.i++;
  // Body: everything up to the matching ')'.
  let depth = 1;
  const body: Token[] = [];
  while (!r.done()) {
    const t = r.peek()!;
    r.i++;
    if (t.text === '(') depth++;
    if (t.text === ')' && --depth === 0) break;
    body.push(t);
  }
  if (depth !== 0) throw new Unparsable('CREATE TABLE');
  const columns: ColumnSpec[] = [];
  for (const part of splitTopLevel(body)) {
    const first = part[0]!;
    if (first.kind === 'word' && TABLE_CONSTRAINT.has(first.upper)) continue;
    columns.push(columnSpec(part));
  }
  return { kind: 'create-table', table, columns };
}

const TABLE_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'UNIQUE', 'CHECK', 'FOREIGN']);
const COLUMN_CONSTRAINT = new Set(['CONSTRAINT', 'PRIMARY', 'NOT', 'NULL', 'UNIQUE', 'CHECK', 'DEFAULT', 'COLLATE', 'REFERENCES', 'GENERATED', 'AS']);

/** `name [type] [constraints...]` */
function columnSpec(tokens: readonly Token[]): ColumnSpec {
  const name = tokens[0];
  if (!isName(name)) throw new Unparsable('column definition');
  let i = 1;
  const typeWords: string[] = [];
  const mods: number[] = [];
  while (i < tokens.length && isName(tokens[i]) && !(tokens[i]!.kind === 'word' && COLUMN_CONSTRAINT.has(tokens[i]!.upper))) {
    typeWords.push(tokens[i]!.text.toLowerCase());
    i++;
  }
  if (tokens[i]?.text === '(') {
    i++;
    while (i < tokens.length && tokens[i]!.text !== ')') {
      if (tokens[i]!.kind === 'number') mods.push(Number(tokens[i]!.text));
      i++;
    }
    i++;
  }
  let notNull = false;
  let hasDefault = false;
  let autoFilled = false;
  let depth = 0;
  for (let k = i; k < tokens.length; k++) {
    const t = tokens[k]!;
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth !== 0 || t.kind !== 'word') continue;
    const next = tokens[k + 1];
    if (t.upper === 'NOT' && next?.upper === 'NULL') notNull = true;
    if (t.upper === 'PRIMARY' && next?.upper === 'KEY') {
      notNull = true;
      if (typeWords.join(' ') === 'integer') autoFilled = true;
    }
    if (t.upper === 'DEFAULT' && next && !(next.kind === 'word' && next.upper === 'NULL')) hasDefault = true;
    if (t.upper === 'GENERATED' || t.upper === 'AS' || t.upper === 'AUTOINCREMENT') autoFilled = true;
  }
  const type: TypeRef | undefined =
    typeWords.length > 0 ? { name: typeWords.join(' '), mods, array: false, text: `${typeWords.join(' ')}${mods.length ? `(${mods.join(',')})` : ''}` } : undefined;
  return { name: name.text, ...(type ? { type } : {}), notNull, hasDefault, autoFilled };
}

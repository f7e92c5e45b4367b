/**
 * MySQL/MariaDB analyser: node-sql-parser (MySQL grammar, then MariaDB's) reads each statement and
 * its AST is mapped to lint operations (`mysql-ast.ts`).
 *
 * node-sql-parser does not know every statement. What happens then:
 * - ALTER TABLE: the statement is split into its clauses (with a real tokenizer, never inside
 *   strings, comments or parentheses) and each clause is parsed alone; the few clauses the parser
 *   lacks (ALTER COLUMN ... DROP DEFAULT, CONVERT TO CHARACTER SET, DROP COLUMN IF EXISTS,
 *   ALGORITHM=NOCOPY, ...) are read from their tokens. A clause still not understood makes the
 *   statement 'partial': the rest is analysed, and GW901 reports it once.
 * - BEGIN / START TRANSACTION / COMMIT / ROLLBACK are read from their tokens.
 * - Any other statement that may matter to a rule (ALTER, DROP/CREATE TABLE or INDEX, DROP
 *   DATABASE, RENAME, TRUNCATE, DELETE) is 'unparsable' (GW901, never a guessed finding);
 *   the rest (INSERT, CREATE PROCEDURE, SET, ...) is 'skipped' silently.
 */
import type { StatementAnalyser, StatementAnalysis } from '../analyse-statement.js';
import type { Operation, TableRef } from '../operation.js';
import { isName, splitTopLevel, tokenize, type Token } from '../sql-tokens.js';
import { operationsOfMysqlAst, type MysqlAstResult } from './mysql-ast.js';

interface SqlParser {
  astify(sql: string, opt?: { database?: string }): unknown;
}

export async function createMysqlAnalyser(): Promise<StatementAnalyser> {
  const [mysql, mariadb] = await Promise.all([import('node-sql-parser/build/mysql.js'), import('node-sql-parser/build/mariadb.js')]);
  const parsers: Array<[SqlParser, string]> = [
    [new (parserClass(mysql))(), 'MySQL'],
    [new (parserClass(mariadb))(), 'MariaDB'],
  ];
  const astify = (sql: string): { ast?: unknown; error?: string } => {
    let error: string | undefined;
    for (const [p, database] of parsers) {
      try {
        return { ast: p.astify(sql, { database }) };
      } catch (e) {
        error ??= firstLine(e instanceof Error ? e.message : String(e));
      }
    }
    return { error: error ?? 'parse error' };
  };
  return (sql) => analyseMysql(sql, astify);
}

type ParserCtor = new () => SqlParser;

function parserClass(mod: unknown): ParserCtor {
  const m = mod as { Parser?: ParserCtor; default?: { Parser?: ParserCtor } };
  const P = m.Parser ?? m.default?.Parser;
  if (!P) throw new Error('node-sql-parser: no Parser export');
  return P;
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 160 ? `${line.slice(0, 157)}...` : line;
}

type Astify = (sql: string) => { ast?: unknown; error?: string };

export function analyseMysql(sql: string, astify: Astify): StatementAnalysis {
  const tokens = tokenize(sql, 'mysql');
  const words = tokens.filter((t) => t.kind === 'word').map((t) => t.upper);
  const tx = transactionControl(tokens);
  if (tx) return { status: 'analysed', ops: [{ kind: 'transaction-control', action: tx, at: tokens[0]!.start }] };

  const parsed = astify(sql);
  if (parsed.ast !== undefined) return fromAst(operationsOfMysqlAst(parsed.ast));

  if (tokens[0]?.upper === 'ALTER' && alterTableStart(tokens) > 0) return alterByClauses(sql, tokens, astify, parsed.error ?? '');
  if (mayMatter(words)) return { status: 'unparsable', parseProblem: `node-sql-parser cannot read it (${parsed.error ?? 'parse error'})`, ops: [] };
  return { status: 'skipped', ops: [] };
}

function fromAst(r: MysqlAstResult): StatementAnalysis {
  return { status: 'analysed', ops: r.ops, ...(r.algorithm ? { algorithm: r.algorithm } : {}) };
}

/** BEGIN [WORK], START TRANSACTION, COMMIT [WORK], ROLLBACK [WORK] (not ROLLBACK TO SAVEPOINT). */
function transactionControl(tokens: readonly Token[]): string | undefined {
  const [a, b] = [tokens[0], tokens[1]];
  if (!a || a.kind !== 'word') return undefined;
  const rest = tokens.length;
  if (a.upper === 'BEGIN' && (rest === 1 || (rest === 2 && b?.upper === 'WORK'))) return 'BEGIN';
  if (a.upper === 'START' && b?.upper === 'TRANSACTION') return 'START TRANSACTION';
  if ((a.upper === 'COMMIT' || a.upper === 'ROLLBACK') && (rest === 1 || b?.upper === 'WORK' || b?.upper === 'AND')) return a.upper;
  return undefined;
}

const OBJECT_WORDS = new Set(['TABLE', 'INDEX', 'DATABASE', 'SCHEMA']);

function mayMatter(words: readonly string[]): boolean {
  const first = words[0];
  if (first === 'RENAME' || first === 'TRUNCATE' || first === 'DELETE') return true;
  if (first === 'CREATE' || first === 'DROP' || first === 'ALTER') return words.slice(1, 5).some((w) => OBJECT_WORDS.has(w));
  return false;
}

/** Index of the first token after `ALTER [ONLINE] [IGNORE] TABLE`, or -1. */
function alterTableStart(tokens: readonly Token[]): number {
  let i = 1;
  while (tokens[i]?.upper === 'ONLINE' || tokens[i]?.upper === 'IGNORE') i++;
  return tokens[i]?.upper === 'TABLE' ? i + 1 : -1;
}

/** The table name tokens after ALTER TABLE: `name` or `db.name`; returns the ref and the next index. */
function tableAt(tokens: readonly Token[], i: number): { table: TableRef; next: number } | undefined {
  const a = tokens[i];
  if (!isName(a)) return undefined;
  if (tokens[i + 1]?.text === '.' && isName(tokens[i + 2])) return { table: { schema: a.text, name: tokens[i + 2]!.text }, next: i + 3 };
  return { table: { name: a.text }, next: i + 1 };
}

function alterByClauses(sql: string, tokens: readonly Token[], astify: Astify, error: string): StatementAnalysis {
  const head = tableAt(tokens, alterTableStart(tokens));
  if (!head) return { status: 'unparsable', parseProblem: `node-sql-parser cannot read it (${error})`, ops: [] };
  const { table } = head;
  const headSql = sql.slice(0, tokens[head.next - 1]!.end);
  const ops: Operation[] = [];
  let algorithm: string | undefined;
  const unknown: string[] = [];
  for (const clause of splitTopLevel(tokens.slice(head.next))) {
    const text = sql.slice(clause[0]!.start, clause[clause.length - 1]!.end);
    const one = astify(`${headSql} ${text}`);
    if (one.ast !== undefined) {
      const r = operationsOfMysqlAst(one.ast);
      for (const op of r.ops) ops.push({ ...op, at: clause[0]!.start });
      algorithm = r.algorithm ?? algorithm;
      continue;
    }
    const known = clauseFromTokens(table, clause);
    if (!known) {
      unknown.push(text.length > 60 ? `${text.slice(0, 57)}...` : text);
      continue;
    }
    if (known.op) ops.push({ ...known.op, at: clause[0]!.start });
    algorithm = known.algorithm ?? algorithm;
  }
  const base = { ops, ...(algorithm ? { algorithm } : {}) };
  if (unknown.length === 0) return { status: 'analysed', ...base };
  return { status: 'partial', parseProblem: `clause${unknown.length > 1 ? 's' : ''} not understood: ${unknown.map((u) => `"${u}"`).join(', ')}`, ...base };
}

const NOT_A_COLUMN = new Set(['INDEX', 'KEY', 'PRIMARY', 'FOREIGN', 'CONSTRAINT', 'CHECK', 'PARTITION', 'UNIQUE', 'FULLTEXT', 'SPATIAL']);

/** The ALTER TABLE clauses node-sql-parser lacks, read from tokens. Undefined when not one of them. */
function clauseFromTokens(table: TableRef, c: readonly Token[]): { op?: Operation; algorithm?: string } | undefined {
  const w = (i: number): string => c[i]?.upper ?? '';
  const value = (i: number): string | undefined => {
    const j = c[i]?.text === '=' ? i + 1 : i;
    return c[j] && (c[j]!.kind === 'word' || c[j]!.kind === 'ident') && j === c.length - 1 ? c[j]!.upper : undefined;
  };
  if (w(0) === 'ALGORITHM') {
    const v = value(1);
    return v ? { algorithm: v } : undefined;
  }
  if (w(0) === 'LOCK') return value(1) ? {} : undefined;
  if (w(0) === 'FORCE' && c.length === 1) return {};
  if (w(0) === 'ALTER') {
    const i = w(1) === 'COLUMN' ? 2 : 1;
    const col = c[i];
    if (!isName(col)) return undefined;
    const rest = c
      .slice(i + 1)
      .map((t) => t.upper)
      .join(' ');
    if (rest === 'DROP DEFAULT') return { op: { kind: 'drop-default', table, column: col.text } };
    if (rest.startsWith('SET DEFAULT') || rest === 'SET VISIBLE' || rest === 'SET INVISIBLE') return {};
    return undefined;
  }
  if (w(0) === 'DROP') {
    let i = w(1) === 'COLUMN' ? 2 : 1;
    if (NOT_A_COLUMN.has(w(i))) return undefined;
    if (w(i) === 'IF' && w(i + 1) === 'EXISTS') i += 2;
    const col = c[i];
    if (!isName(col) || i !== c.length - 1) return undefined;
    return { op: { kind: 'drop-column', table, column: col.text } };
  }
  if (w(0) === 'CONVERT' && w(1) === 'TO' && (w(2) === 'CHARACTER' || w(2) === 'CHARSET')) return { op: { kind: 'convert-charset', table } };
  if (w(0) === 'RENAME' && (w(1) === 'INDEX' || w(1) === 'KEY')) return {};
  return undefined;
}

/**
 * The incremental splitter (src/sql/stream-split.ts) against the whole-text splitters, on the
 * corpora the whole-text splitters are tested with: every string literal (and `[...].join('\n')`
 * of literals) in test/sql/split-*.test.ts, plus every .sql file under test/fixtures and examples.
 * Each text is fed whole, one character at a time, cut in two at every position (short texts)
 * and in random small pieces; every feeding must give exactly what the whole-text splitter gives
 * (PostgreSQL: libpg-query, where it accepts the text). Pure: no database.
 */
import { describe, test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { StreamSplitter, splitStream, type StreamDialect, type StreamStatement } from '../../src/sql/stream-split.js';
import { splitMysql } from '../../src/sql/split-mysql.js';
import { splitSqlite } from '../../src/sql/split-sqlite.js';
import { loadPostgresParser, parsePostgresSync } from '../../src/sql/split-postgres.js';
import { BadMigrationError } from '../../src/core/errors.js';
import { ROOT } from '../helpers/cli.js';

type Lib = Awaited<ReturnType<typeof loadPostgresParser>>;
let lib: Lib;
before(async () => {
  lib = await loadPostgresParser();
});

/** String literals, templates without substitutions, and `[literals].join(sep)` in a TS file. */
function literalsOf(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) out.push(n.text);
    if (ts.isCallExpression(n) && ts.isPropertyAccessExpression(n.expression) && n.expression.name.text === 'join' && ts.isArrayLiteralExpression(n.expression.expression)) {
      const items = n.expression.expression.elements;
      const sep = n.arguments[0];
      if (items.every((e) => ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) && (!sep || ts.isStringLiteral(sep))) {
        out.push(items.map((e) => (e as ts.StringLiteral).text).join(sep ? (sep as ts.StringLiteral).text : ','));
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(src);
  return [...new Set(out)];
}

function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...sqlFiles(p));
    else if (name.endsWith('.sql')) out.push(readFileSync(p, 'utf8').replace(/\r\n?/g, '\n'));
  }
  return out;
}

const sqlTests = (name: string) => literalsOf(join(ROOT, 'test/sql', name));
const fixtures = [...sqlFiles(join(ROOT, 'test/fixtures')), ...sqlFiles(join(ROOT, 'examples'))];
const corpus: Record<StreamDialect, string[]> = {
  postgres: [...sqlTests('split-postgres.test.ts'), ...sqlTests('split-postgres-pieces.test.ts'), ...fixtures],
  mysql: [...sqlTests('split-mysql.test.ts'), ...fixtures],
  sqlite: [...sqlTests('split-sqlite.test.ts'), ...fixtures],
};
// Every dialect also sees the other dialects' texts: more quoting and comment shapes.
const all = [...new Set(Object.values(corpus).flat())];

type Result = { ok: Array<[number, string]> } | { error: string };

function reference(dialect: StreamDialect, text: string): Result | undefined {
  try {
    const parts =
      dialect === 'mysql' ? splitMysql(text) : dialect === 'sqlite' ? splitSqlite(text) : parsePostgresSync(text, lib).map(({ sql, lineOffset }) => ({ sql, lineOffset }));
    return { ok: parts.map((p) => [p.lineOffset, p.sql]) };
  } catch (e) {
    if (dialect === 'postgres') return undefined; // the parser refuses it: nothing to compare
    if (e instanceof BadMigrationError) return { error: `${e.message} @${String(e.facts.line)}` };
    throw e;
  }
}

function streamed(dialect: StreamDialect, pieces: readonly string[]): Result {
  try {
    const s = new StreamSplitter(dialect);
    const got: StreamStatement[] = [];
    for (const p of pieces) got.push(...s.push(p));
    got.push(...s.end());
    return { ok: got.map((p) => [p.lineOffset, p.sql]) };
  } catch (e) {
    if (e instanceof BadMigrationError) return { error: `${e.message} @${String(e.facts.line)}` };
    throw e;
  }
}

/** Deterministic pseudo-random piece sizes. */
function randomPieces(text: string, seed: number): string[] {
  let x = seed;
  const out: string[] = [];
  for (let i = 0; i < text.length; ) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const n = 1 + (x % 9);
    out.push(text.slice(i, i + n));
    i += n;
  }
  return out;
}

function feedings(text: string): Array<[string, string[]]> {
  const f: Array<[string, string[]]> = [
    ['whole', [text]],
    ['char by char', [...text].length === text.length ? text.split('') : Array.from(text)],
    ['random 1', randomPieces(text, 1)],
    ['random 2', randomPieces(text, 7)],
  ];
  if (text.length <= 300) for (let k = 1; k < text.length; k++) f.push([`cut at ${k}`, [text.slice(0, k), text.slice(k)]]);
  return f;
}

for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
  describe(`stream splitter (${dialect}) equals the whole-text splitter`, () => {
    test(`own corpus (${corpus[dialect].length} texts), every feeding`, () => {
      let compared = 0;
      for (const text of corpus[dialect]) {
        const want = reference(dialect, text);
        if (!want) continue;
        compared++;
        for (const [how, pieces] of feedings(text)) assert.deepEqual(streamed(dialect, pieces), want, `${how}: ${JSON.stringify(text.slice(0, 200))}`);
      }
      assert.ok(compared >= 20, `only ${compared} texts compared`);
    });

    test(`all dialects' texts (${all.length}), whole and char by char`, () => {
      for (const text of all) {
        const want = reference(dialect, text);
        if (!want) continue;
        assert.deepEqual(streamed(dialect, [text]), want, JSON.stringify(text.slice(0, 200)));
        assert.deepEqual(streamed(dialect, randomPieces(text, 3)), want, JSON.stringify(text.slice(0, 200)));
      }
    });
  });
}

describe('stream splitter: cases the corpora do not cover', () => {
  const pg = (text: string) => splitStream('postgres', text).map((s) => [s.lineOffset, s.sql]);

  test('PostgreSQL: BEGIN ATOMIC bodies, CASE inside them, and what the parser says about them', () => {
    const text = [
      'CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql',
      'BEGIN ATOMIC',
      '  SELECT CASE WHEN a > 0 THEN 1 ELSE 0 END;',
      '  SELECT 2;',
      'END;',
      'CREATE OR REPLACE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;',
      'SELECT 3;',
    ].join('\n');
    const got = pg(text);
    assert.equal(got.length, 3);
    assert.deepEqual(got, parsePostgresSync(text, lib).map((s) => [s.lineOffset, s.sql]));
  });

  test('PostgreSQL: E strings, dollar tags, identifiers with $, parameters, nested comments', () => {
    const text = "SELECT e'a\\';b', E'\\\\';\nSELECT a$b$c FROM t$1; SELECT $1;\nSELECT $x$ ; $y$ ; $x$;\n/* a /* b; */ c; */ SELECT 4;\nSELECT date'2020-01-01';";
    assert.deepEqual(pg(text), parsePostgresSync(text, lib).map((s) => [s.lineOffset, s.sql]));
    for (const [how, pieces] of feedings(text)) assert.deepEqual(streamed('postgres', pieces), { ok: pg(text) }, how);
  });

  test('MySQL: statements ended by a custom DELIMITER carry it; ";" ones do not', () => {
    const got = splitStream('mysql', 'SELECT 1;\nDELIMITER //\nCREATE PROCEDURE p() BEGIN SELECT 1; END //\nDELIMITER ;\nSELECT 2;');
    assert.deepEqual(got, [
      { sql: 'SELECT 1', lineOffset: 0 },
      { sql: 'CREATE PROCEDURE p() BEGIN SELECT 1; END', lineOffset: 2, delimiter: '//' },
      { sql: 'SELECT 2', lineOffset: 4 },
    ]);
  });

  test('memory stays bounded: a long text pushed in pieces keeps only the unfinished statement', () => {
    const s = new StreamSplitter('postgres');
    let n = 0;
    for (let k = 0; k < 2000; k++) n += s.push(`INSERT INTO t VALUES (${k}, 'x;y');\n`).length;
    n += s.end().length;
    assert.equal(n, 2000);
    assert.ok((s as unknown as { buf: string }).buf.length < 100, 'the splitter kept text it no longer needs');
  });
});

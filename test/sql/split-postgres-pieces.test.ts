/**
 * splitPostgresText parses long text piece by piece; it must give exactly what parsing the whole
 * text gives, wherever the pieces are cut (small piece sizes put cuts inside strings, comments,
 * dollar-quoted bodies and multi-byte characters), and report errors the same way.
 */
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadPostgresParser, parsePostgresSync, splitPostgresText } from '../../src/sql/split-postgres.js';

type Lib = Awaited<ReturnType<typeof loadPostgresParser>>;
let lib: Lib;
before(async () => {
  lib = await loadPostgresParser();
});

const TRICKY = [
  "INSERT INTO t (a) VALUES ('semi;\ncolon; in a string');",
  '-- a comment; with a semicolon;\nCREATE TABLE x (id int); -- trailing; comment',
  'CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  PERFORM 1;\n  RETURN 2;\nEND;\n$$;',
  '/* block; comment\n; spanning lines */ SELECT 1;',
  "SELECT E'escaped \\'; quote';",
  "SELECT 'héllo; wörld 😀';",
  'SELECT 1 -- no terminator here;\n + 2;',
  'CREATE RULE r AS ON INSERT TO t DO ALSO (SELECT 1; SELECT 2);',
  'DO $tag$ BEGIN RAISE NOTICE $q$;$q$; END $tag$;',
  ';;',
  'SELECT "quoted;ident" FROM t;',
];

function build(n: number): string {
  const parts: string[] = ['CREATE TABLE t (a text);', 'CREATE TABLE "quoted;ident" (x int);'];
  for (let i = 0; i < n; i++) parts.push(TRICKY[i % TRICKY.length]!);
  return parts.join('\n');
}

const strip = (xs: { sql: string; lineOffset: number }[]) => xs.map(({ sql, lineOffset }) => ({ sql, lineOffset }));

describe('splitPostgresText', () => {
  it('gives what the whole-text parse gives, for every piece size', () => {
    const text = build(60);
    const expected = strip(parsePostgresSync(text, lib));
    assert.ok(expected.length > 50, `${expected.length} statements`);
    for (const piece of [1, 7, 16, 33, 50, 101, 256, 1000, text.length + 1]) {
      assert.deepEqual(splitPostgresText(text, lib, piece), expected, `piece size ${piece}`);
    }
  });

  it('keeps lines across pieces', () => {
    const text = Array.from({ length: 200 }, (_, i) => `INSERT INTO t (a) VALUES ('${i}');`).join('\n\n');
    const got = splitPostgresText(text, lib, 64);
    assert.equal(got.length, 200);
    assert.deepEqual(got[199], { sql: "INSERT INTO t (a) VALUES ('199')", lineOffset: 398 });
  });

  it('reports a syntax error as the whole-text parse does', () => {
    const text = `${build(30)}\nSELEC broken;\n${build(30)}`;
    let whole: unknown;
    try {
      parsePostgresSync(text, lib);
    } catch (e) {
      whole = e;
    }
    assert.ok(whole instanceof Error);
    assert.throws(() => splitPostgresText(text, lib, 40), (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.equal(e.message, (whole as Error).message);
      assert.deepEqual((e as { facts?: unknown }).facts, (whole as { facts?: unknown }).facts);
      return true;
    });
  });

  it('reports COPY FROM stdin with its line in the whole text', () => {
    const text = `${build(30)}\nCOPY t (a) FROM stdin;\n${build(5)}`;
    assert.throws(() => parsePostgresSync(text, lib));
    let whole: unknown;
    try {
      parsePostgresSync(text, lib);
    } catch (e) {
      whole = e;
    }
    assert.throws(() => splitPostgresText(text, lib, 40), (e: unknown) => (e as Error).message === (whole as Error).message);
  });
});

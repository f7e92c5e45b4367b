/**
 * The lint engine beyond the corpus: options and config errors, severity overrides, context-only
 * migrations, suppression scope, lines and columns (multi-byte SQL), excerpts, lintInputOf.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../../src/core/errors.js';
import { lintInputOf, type LintInput } from '../../src/lint/lint-input.js';
import { excerptOf, lintMigrations, placeIn } from '../../src/lint/lint-migration.js';
import { resolveLintOptions } from '../../src/lint/lint-options.js';
import type { LoadedMigration } from '../../src/source/migration.js';

function pg(statements: Array<[string, number]>, extra: Partial<LintInput> = {}): LintInput {
  return {
    file: 'm/0001_x.sql',
    version: 1,
    phase: 'pre',
    transaction: true,
    dialect: 'postgres',
    hasDown: false,
    directives: [],
    statements: statements.map(([sql, line]) => ({ sql, line })),
    ...extra,
  };
}

const codes = (r: { diagnostics: readonly { code: string; line: number; column?: number }[] }) =>
  r.diagnostics.map((d) => `${d.code}@${d.line}${d.column ? `:${d.column}` : ''}`);

describe('lint options', () => {
  test('unknown rules and bad settings are configuration errors (exit 2)', () => {
    assert.throws(() => resolveLintOptions({ rules: { GW999: 'off' } }), (e: unknown) => e instanceof ConfigError && /unknown rule "GW999"/.test(e.message));
    assert.throws(() => resolveLintOptions({ rules: { GW102: 'fatal' as 'off' } }), ConfigError);
    assert.throws(() => resolveLintOptions({ rules: [] as unknown as Record<string, 'off'> }), ConfigError);
    assert.throws(() => resolveLintOptions({ ddlLockTimeoutMs: -1 }), ConfigError);
  });

  test('rules are configured by code or name; off disables, a severity overrides', async () => {
    const input = pg([['DROP TABLE users', 1], ['CREATE INDEX i ON users (a)', 2]]);
    const base = await lintMigrations([input]);
    assert.deepEqual(base.diagnostics.map((d) => `${d.code}:${d.severity}`), ['GW102:error', 'GW301:error']);
    const tuned = await lintMigrations([input], { rules: { 'drop-table': 'warning', gw301: 'off' } });
    assert.deepEqual(tuned.diagnostics.map((d) => `${d.code}:${d.severity}`), ['GW102:warning']);
    assert.equal(tuned.errors, 0);
    assert.equal(tuned.warnings, 1);
  });
});

describe('lint engine', () => {
  test('context-only migrations give facts but no findings', async () => {
    const first = pg([['CREATE TABLE t (a varchar(10))', 1], ['DROP TABLE gone', 2]], { contextOnly: true });
    const second = pg([['ALTER TABLE t ALTER COLUMN a TYPE varchar(20)', 1]], { file: 'm/0002_y.sql', version: 2 });
    const r = await lintMigrations([first, second]);
    assert.equal(r.migrations, 1);
    assert.deepEqual(codes(r), []);
    const alone = await lintMigrations([second]);
    assert.deepEqual(codes(alone), ['GW203@1', 'GW306@1'], 'without the earlier CREATE TABLE the old type is unknown');
  });

  test('findings are sorted by file, line and code', async () => {
    const b = pg([['TRUNCATE a', 3], ['DROP TABLE b', 1]], { file: 'b.sql' });
    const a = pg([['DROP TABLE c', 9]], { file: 'a.sql', version: 2 });
    const r = await lintMigrations([b, a]);
    assert.deepEqual(r.diagnostics.map((d) => `${d.file}:${d.line}`), ['a.sql:9', 'b.sql:1', 'b.sql:3']);
  });

  test('a suppression inside a multi-line statement applies to that statement', async () => {
    const input = pg([['ALTER TABLE users\n  -- godwit:lint-ignore GW103 unused since 3.1\n  DROP COLUMN legacy', 4]], {
      directives: [{ name: 'lint-ignore', args: 'GW103 unused since 3.1', line: 5 }],
    });
    const r = await lintMigrations([input]);
    assert.deepEqual(codes(r), []);
    assert.equal(r.suppressed[0]?.suppressionLine, 5);
  });

  test('a suppression in a separate down file applies to the down statement after it', async () => {
    const input = pg([['CREATE INDEX CONCURRENTLY i ON t (a)', 1]], {
      transaction: true,
      hasDown: true,
      downStatements: [{ sql: 'DROP INDEX CONCURRENTLY i', line: 2, file: 'm/0001_x.down.sql' }],
      directives: [
        { name: 'lint-ignore', args: 'GW303 the up fails anyway in this test', line: 1, file: 'm/0001_x.down.sql' },
      ],
    });
    const r = await lintMigrations([input]);
    assert.deepEqual(r.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}`), ['GW303@m/0001_x.sql:1']);
    assert.deepEqual(r.suppressed.map((s) => `${s.diagnostic.code}@${s.diagnostic.file}:${s.diagnostic.line}`), ['GW303@m/0001_x.down.sql:2']);
  });

  test('a migration-level finding is suppressed from anywhere in the migration', async () => {
    const input = pg([['CREATE TABLE a (id int)', 1], ['CREATE TABLE b (id int)', 5]], {
      directives: [{ name: 'lint-ignore', args: 'GW601 this migration cannot be undone: it loads reference data', line: 3 }],
    });
    const r = await lintMigrations([input], { folderHasDowns: true });
    assert.deepEqual(codes(r), []);
    assert.deepEqual(r.suppressed.map((s) => s.diagnostic.code), ['GW601']);
  });

  test('lines and columns come from the parser position, also after multi-byte characters', async () => {
    const sql = 'ALTER TABLE "naïve_ü"\n  ADD COLUMN note text,\n  ADD COLUMN token uuid DEFAULT gen_random_uuid()';
    const r = await lintMigrations([pg([[sql, 10]])]);
    assert.deepEqual(codes(r), ['GW307@12:14']);
    assert.equal(r.diagnostics[0]!.statementExcerpt, 'ALTER TABLE "naïve_ü" ADD COLUMN note text, ADD COLUMN token uuid DEFAULT gen_random_uuid()');
  });

  test('placeIn and excerptOf', () => {
    assert.deepEqual(placeIn({ sql: 'a\nbc', line: 7 }, 3), { line: 8, column: 2 });
    assert.deepEqual(placeIn({ sql: 'abc', line: 7 }, 2), { line: 7 });
    const long = `ALTER TABLE t ${Array.from({ length: 30 }, (_, i) => `ADD COLUMN c${i} int`).join(', ')}, DROP COLUMN victim`;
    const at = long.indexOf('DROP COLUMN');
    const ex = excerptOf(long, at);
    assert.ok(ex.length <= 160, `${ex.length}`);
    assert.ok(ex.includes('DROP COLUMN victim'), ex);
    assert.ok(ex.startsWith('…'));
    assert.equal(excerptOf('SELECT\n   1'), 'SELECT 1');
  });

  test('the engine never guesses on statements the analyser skipped', async () => {
    const input: LintInput = { ...pg([]), dialect: 'mysql', statements: [{ sql: "INSERT INTO t VALUES ('DROP TABLE users')", line: 1 }] };
    assert.deepEqual(codes(await lintMigrations([input])), []);
  });
});

describe('lintInputOf', () => {
  test('builds a lint input from a loaded migration and its split statements', () => {
    const m: LoadedMigration = {
      ref: { version: 3, name: 'x', id: '0003_x.up.sql', format: 'golang-migrate', upFile: '/m/0003_x.up.sql', downFile: '/m/0003_x.down.sql' },
      checksum: 'c',
      transaction: false,
      phase: 'post',
      up: { kind: 'sql', file: '/m/0003_x.up.sql', segments: [] },
      down: { kind: 'sql', file: '/m/0003_x.down.sql', segments: [] },
      directives: [
        { name: 'phase', args: 'post', file: '/m/0003_x.up.sql', line: 1 },
        { name: 'lint-ignore', args: 'GW102 ok', file: '/m/0003_x.down.sql', line: 1 },
      ],
    };
    const input = lintInputOf(m, 'postgres', [{ sql: 'DROP TABLE a', file: '/m/0003_x.up.sql', line: 2 }], [{ sql: 'CREATE TABLE a ()', file: '/m/0003_x.down.sql', line: 2 }]);
    assert.deepEqual(input, {
      file: '/m/0003_x.up.sql',
      version: 3,
      phase: 'post',
      transaction: false,
      dialect: 'postgres',
      statements: [{ sql: 'DROP TABLE a', line: 2 }],
      downStatements: [{ sql: 'CREATE TABLE a ()', line: 2, file: '/m/0003_x.down.sql' }],
      hasDown: true,
      directives: [
        { name: 'phase', args: 'post', line: 1 },
        { name: 'lint-ignore', args: 'GW102 ok', line: 1, file: '/m/0003_x.down.sql' },
      ],
      code: false,
      contextOnly: false,
    });
  });
});

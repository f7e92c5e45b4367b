/**
 * Output formats of `godwit lint` against golden files (GODWIT_UPDATE_GOLDEN=1 rewrites them after a
 * deliberate change), the SARIF log against the SARIF 2.1.0 structure, and the exit code policy.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import {
  lintExitCode,
  renderLint,
  renderLintGithub,
  renderLintSarif,
  sarifUri,
  type LintFormat,
} from '../../src/cli/commands/lint-format.js';
import type { LintInput } from '../../src/lint/lint-input.js';
import { lintMigrations, type LintResult } from '../../src/lint/lint-migration.js';
import { ruleMetas } from '../../src/lint/registry.js';
import { validateSarif } from './sarif-validator.js';

const GOLDEN = new URL('./golden/', import.meta.url).pathname;

const inputs: LintInput[] = [
  {
    file: 'migrations/0001_users.sql',
    version: 1,
    phase: 'pre',
    transaction: true,
    dialect: 'postgres',
    hasDown: true,
    directives: [],
    statements: [{ sql: 'CREATE TABLE users (id bigint PRIMARY KEY, email text, legacy text)', line: 2 }],
    downStatements: [{ sql: 'DROP TABLE users', line: 4 }],
  },
  {
    file: 'migrations/0002_tokens.sql',
    version: 2,
    phase: 'pre',
    transaction: true,
    dialect: 'postgres',
    hasDown: false,
    directives: [{ name: 'lint-ignore', args: 'GW103 legacy is unused since release 3.1', line: 5 }],
    statements: [
      { sql: 'CREATE INDEX users_email_idx ON users (email)', line: 1 },
      { sql: 'ALTER TABLE users\n  ADD COLUMN token uuid DEFAULT gen_random_uuid()', line: 2 },
      { sql: 'ALTER TABLE users DROP COLUMN legacy', line: 6 },
      { sql: 'DROP TABLE "100%_done"', line: 7 },
    ],
  },
  {
    file: 'db/my app/0003 orders.sql',
    version: 3,
    phase: 'post',
    transaction: true,
    dialect: 'mysql',
    hasDown: true,
    directives: [],
    statements: [{ sql: 'ALTER TABLE orders MODIFY amount decimal(12,2) NOT NULL', line: 3 }],
    downStatements: [{ sql: 'ALTER TABLE orders MODIFY amount decimal(10,2) NOT NULL, ALGORITHM=INPLACE', line: 6 }],
  },
];

async function sample(): Promise<LintResult> {
  return lintMigrations(inputs);
}

function golden(name: string, actual: string): void {
  const path = `${GOLDEN}${name}`;
  if (process.env['GODWIT_UPDATE_GOLDEN'] === '1') writeFileSync(path, actual);
  assert.equal(actual, readFileSync(path, 'utf8'), `${name} differs from its golden file (GODWIT_UPDATE_GOLDEN=1 to accept a deliberate change)`);
}

const FILES: Record<LintFormat, string> = { text: 'lint.txt', json: 'lint.json', github: 'lint.github.txt', sarif: 'lint.sarif.json' };

describe('lint output formats', () => {
  for (const format of Object.keys(FILES) as LintFormat[]) {
    test(`${format} matches its golden file`, async () => {
      golden(FILES[format], renderLint(format, await sample(), { toolVersion: '0.0.0-test' }));
    });
  }

  test('the sample exercises what the formats must handle', async () => {
    const r = await sample();
    assert.deepEqual(
      r.diagnostics.map((d) => `${d.code}@${d.file}:${d.line}${d.column ? `:${d.column}` : ''}`),
      [
        'GW401@db/my app/0003 orders.sql:3',
        'GW301@migrations/0002_tokens.sql:1',
        'GW601@migrations/0002_tokens.sql:1',
        'GW307@migrations/0002_tokens.sql:3:14',
        'GW102@migrations/0002_tokens.sql:7',
      ],
    );
    assert.deepEqual(r.suppressed.map((s) => `${s.diagnostic.code} ${s.reason}`), ['GW103 legacy is unused since release 3.1']);
  });

  test('github annotations escape %, newlines, and : , in properties', async () => {
    const out = renderLintGithub(await sample());
    const drop = out.split('\n').find((l) => l.includes('title=GW102'));
    assert.ok(drop);
    assert.match(drop, /^::error file=migrations\/0002_tokens\.sql,line=7,title=GW102 drop-table::Drops table 100%25_done/);
    assert.ok(!drop.slice(2).includes('\n'));
    assert.match(drop, /%0AWhy: /);
    const withColumn = out.split('\n').find((l) => l.includes('GW307'));
    assert.match(withColumn ?? '', /line=3,col=14,/);
    const custom = renderLintGithub(await sample(), { displayPath: (f) => `a:b,${f}` });
    assert.match(custom, /file=a%3Ab%2Cmigrations/);
  });

  test('SARIF is valid SARIF 2.1.0, lists every rule, and marks suppressed results', async () => {
    const log = JSON.parse(renderLintSarif(await sample())) as {
      runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; suppressions?: Array<{ kind: string; justification: string }>; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }> }>;
    };
    assert.deepEqual(validateSarif(log), []);
    const run = log.runs[0]!;
    assert.deepEqual(run.tool.driver.rules.map((r) => r.id), ruleMetas().map((m) => m.code));
    const sup = run.results.filter((r) => r.suppressions);
    assert.deepEqual(sup.map((r) => [r.ruleId, r.suppressions![0]!.kind, r.suppressions![0]!.justification]), [['GW103', 'inSource', 'legacy is unused since release 3.1']]);
    const mysql = run.results.find((r) => r.ruleId === 'GW401');
    assert.equal(mysql?.locations[0]?.physicalLocation.artifactLocation.uri, 'db/my%20app/0003%20orders.sql');
  });

  test('the SARIF validator rejects broken logs (it can fail)', () => {
    assert.notDeepEqual(validateSarif({ version: '2.1.0' }), []);
    assert.notDeepEqual(validateSarif({ version: '2.0.0', runs: [] }), []);
    const bad = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'A' }] } }, results: [{ ruleId: 'B', ruleIndex: 0, level: 'fatal', message: {}, extra: 1 }] }] };
    const errors = validateSarif(bad);
    assert.ok(errors.some((e) => e.includes('level')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('needs one of text')), errors.join('\n'));
    assert.ok(errors.some((e) => e.includes('"extra" is not allowed')), errors.join('\n'));
    const wrongIndex = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x', rules: [{ id: 'A' }] } }, results: [{ ruleId: 'B', ruleIndex: 0, message: { text: 'm' } }] }] };
    assert.deepEqual(validateSarif(wrongIndex), ['$.runs[0].results[0]: ruleId B but ruleIndex points at A']);
    const badUri = { version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } }, results: [{ message: { text: 'm' }, locations: [{ physicalLocation: { artifactLocation: { uri: 'a b.sql' } } }] }] }] };
    assert.equal(validateSarif(badUri).length, 1);
  });

  test('sarifUri keeps relative paths relative and turns absolute ones into file URLs', () => {
    assert.equal(sarifUri('migrations/0001_a.sql'), 'migrations/0001_a.sql');
    assert.equal(sarifUri('db\\x y\\a#1.sql'), 'db/x%20y/a%231.sql');
    assert.equal(sarifUri('/srv/app/m/0001.sql'), 'file:///srv/app/m/0001.sql');
  });
});

describe('lint exit code', () => {
  test('1 when an error remains, 0 with warnings only or when errors are suppressed', async () => {
    assert.equal(lintExitCode(await sample()), 1);
    const warningsOnly = await lintMigrations([{ ...inputs[1]!, statements: [], directives: [] }], { folderHasDowns: true });
    assert.deepEqual(warningsOnly.diagnostics.map((d) => d.severity), ['warning', 'warning']);
    assert.equal(lintExitCode(warningsOnly), 0);
    const suppressedOnly = await lintMigrations([
      { ...inputs[1]!, statements: [{ sql: 'DROP TABLE old', line: 2 }], directives: [{ name: 'lint-ignore', args: 'GW102 emptied in 0040', line: 1 }] },
    ]);
    assert.equal(suppressedOnly.errors, 0);
    assert.equal(suppressedOnly.suppressed.length, 1);
    assert.equal(lintExitCode(suppressedOnly), 0);
  });
});

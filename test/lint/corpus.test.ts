/**
 * The lint corpus: every case must produce exactly its expected findings (code@line), safe cases
 * none at all; every rule has, for every dialect it applies to, an unsafe and a safe case.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { lintMigrations } from '../../src/lint/lint-migration.js';
import { ruleMetas } from '../../src/lint/registry.js';
import { CORPUS_DIR, loadCorpus } from './corpus.js';

const cases = loadCorpus();

describe('lint corpus', () => {
  for (const c of cases) {
    test(`${c.code}/${c.dialect}.sql:${c.line} ${c.kind}: ${c.title}`, async () => {
      if (c.kind === 'safe') assert.deepEqual(c.expected, [], 'a safe case must expect no finding');
      else assert.ok(c.expected.some((e) => e.startsWith(`${c.code}@`)), `an unsafe case in ${c.code}/ must expect a ${c.code} finding`);
      const r = await lintMigrations(c.inputs, c.options);
      const got = r.diagnostics.map((d) => `${d.code}@${d.line}`).sort();
      const detail = r.diagnostics.map((d) => `  ${d.code}@${d.line} ${d.message}`).join('\n');
      assert.deepEqual(got, c.expected, `findings differ:\n${detail}`);
    });
  }
});

describe('lint corpus coverage', () => {
  test('every rule has an unsafe and a safe case for every dialect it applies to', () => {
    const missing: string[] = [];
    for (const m of ruleMetas()) {
      for (const d of m.dialects) {
        const mine = cases.filter((c) => c.code === m.code && c.dialect === d);
        if (!mine.some((c) => c.kind === 'unsafe')) missing.push(`${m.code}/${d}.sql: no unsafe case`);
        if (!mine.some((c) => c.kind === 'safe')) missing.push(`${m.code}/${d}.sql: no safe case`);
      }
    }
    assert.deepEqual(missing, []);
  });

  test('the corpus only holds folders of known rules, for dialects they apply to', () => {
    const known = new Map(ruleMetas().map((m) => [m.code, m]));
    for (const c of cases) {
      const m = known.get(c.code);
      assert.ok(m, `corpus folder ${c.code} is not a rule`);
      assert.ok(m.dialects.includes(c.dialect), `${c.code} does not apply to ${c.dialect}`);
    }
    assert.ok(existsSync(join(CORPUS_DIR, 'GW101')));
  });
});

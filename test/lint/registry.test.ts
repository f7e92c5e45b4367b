/** The rule code registry: stable, unique codes and names, one rule per file named after it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { checkRegistry, ENGINE_RULE_METAS, findRuleMeta, LINT_RULES, ruleMetas } from '../../src/lint/registry.js';
import type { RuleMeta } from '../../src/lint/rule.js';

test('codes and names are unique and well-formed', () => {
  const metas = ruleMetas();
  assert.equal(new Set(metas.map((m) => m.code)).size, metas.length);
  assert.equal(new Set(metas.map((m) => m.name)).size, metas.length);
  assert.equal(metas.length, LINT_RULES.length + ENGINE_RULE_METAS.length);
  for (const m of metas) {
    assert.match(m.code, /^GW\d{3}$/);
    assert.ok(m.why.length > 20 && !m.why.includes('\n'), `${m.code} why is one line`);
    assert.ok(m.fix.length > 10 && !m.fix.includes('\n'), `${m.code} fix is one line`);
  }
});

test('checkRegistry refuses a duplicate code or name', () => {
  const a: RuleMeta = { code: 'GW100', name: 'a-rule', severity: 'error', dialects: ['postgres'], why: 'w', fix: 'f' };
  assert.throws(() => checkRegistry([a, { ...a, name: 'other' }]), /duplicate lint rule code GW100/);
  assert.throws(() => checkRegistry([a, { ...a, code: 'GW101' }]), /duplicate lint rule name a-rule/);
  assert.throws(() => checkRegistry([{ ...a, code: 'PG001' }]), /not GW \+ three digits/);
  assert.throws(() => checkRegistry([{ ...a, name: 'Not_Kebab' }]), /kebab-case/);
});

test('one rule per file, named <code>-<name>.ts', () => {
  const files = readdirSync(new URL('../../src/lint/rules/', import.meta.url)).sort();
  assert.deepEqual(files, ruleMetas().map((m) => `${m.code.toLowerCase()}-${m.name}.ts`));
});

test('rules are found by code (any case) or name', () => {
  assert.equal(findRuleMeta('GW102')?.name, 'drop-table');
  assert.equal(findRuleMeta('gw102')?.name, 'drop-table');
  assert.equal(findRuleMeta('drop-table')?.code, 'GW102');
  assert.equal(findRuleMeta('nope'), undefined);
});

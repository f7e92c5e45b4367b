/** docs/lint.md documents every rule exactly as the registry defines it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ruleMetas } from '../../src/lint/registry.js';

const doc = readFileSync(new URL('../../docs/lint.md', import.meta.url), 'utf8');

test('every rule has a section with its severity, why, fix and a safe and unsafe example', () => {
  const sections = doc.split(/^### /m).slice(1);
  const headings = sections.map((s) => s.split('\n')[0]!.trim());
  assert.deepEqual(headings, ruleMetas().map((m) => `${m.code} ${m.name}`));
  for (const m of ruleMetas()) {
    const body = sections[headings.indexOf(`${m.code} ${m.name}`)]!;
    assert.ok(body.includes(`Severity: **${m.severity}**`), `${m.code}: severity`);
    assert.ok(body.includes(`- Why: ${m.why}`), `${m.code}: why differs from the registry`);
    assert.ok(body.includes(`- Fix: ${m.fix}`), `${m.code}: fix differs from the registry`);
    assert.ok(/Unsafe:\n\n```sql\n[^`]+```/.test(body), `${m.code}: unsafe example`);
    assert.ok(/Safe:\n\n```sql\n[^`]+```/.test(body), `${m.code}: safe example`);
    assert.ok(doc.includes(`| [${m.code}](#${m.code.toLowerCase()}-${m.name}) | ${m.name} | ${m.severity} |`), `${m.code}: table row`);
  }
});

test('the suppression and configuration syntax is documented', () => {
  assert.match(doc, /-- godwit:lint-ignore GW\d{3} \S+/);
  assert.match(doc, /"lint": \{\n\s+"rules": \{/);
});

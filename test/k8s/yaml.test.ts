/** The YAML writer: YAML 1.1-safe quoting, stable output, comments, multi-document streams. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse, parseAllDocuments } from 'yaml';
import { commentLines, toYaml, toYamlDocument } from '../../src/k8s/yaml.js';

describe('yaml writer', () => {
  it('quotes strings that YAML 1.1 parsers would turn into booleans or numbers', () => {
    const value = { a: 'yes', b: 'on', c: 'n', d: '0755', e: '12:30', f: '1.0', g: 'true', h: '15m', i: 'NO' };
    const text = toYamlDocument({ value });
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'i']) assert.match(text, new RegExp(`^"?${k}"?: "`, 'm'), `${k} must be quoted:\n${text}`);
    assert.match(text, /^h: 15m$/m);
    assert.deepEqual(parse(text, { version: '1.1' }), value);
  });

  it('never folds long lines and keeps key order', () => {
    const long = 'x'.repeat(200) + ' ' + 'y'.repeat(50);
    const text = toYamlDocument({ value: { z: 1, a: long } });
    assert.equal(text, `z: 1\na: ${long}\n`);
  });

  it('writes headers and line comments, and refuses a comment on a missing path', () => {
    const text = toYamlDocument({
      value: { spec: { count: 2, list: [1] } },
      header: 'Line one\nLine two',
      comments: [{ path: ['spec', 'count'], text: 'scalar' }, { path: ['spec', 'list'], text: 'collection' }],
    });
    assert.equal(text, '# Line one\n# Line two\n\nspec:\n  count: 2 # scalar\n  list: # collection\n    - 1\n');
    assert.throws(() => toYamlDocument({ value: { a: 1 }, comments: [{ path: ['b'], text: 'x' }] }), /no value at b/);
  });

  it('joins documents with ---', () => {
    const text = toYaml([{ value: { a: 1 } }, { value: { b: 2 } }]);
    assert.equal(text, 'a: 1\n---\nb: 2\n');
    assert.deepEqual(parseAllDocuments(text).map((d) => d.toJS()), [{ a: 1 }, { b: 2 }]);
  });

  it('comments out text line by line', () => {
    assert.equal(commentLines('a: 1\n\nb: 2\n'), '# a: 1\n#\n# b: 2\n');
  });
});

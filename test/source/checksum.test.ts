import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { checksumOf, normaliseLineEndings } from '../../src/source/checksum.js';
import { decodeMigrationText, firstInvalidUtf8 } from '../../src/source/decode-text.js';
import { BadMigrationError } from '../../src/core/errors.js';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

test('checksum is SHA-256 hex of the bytes', () => {
  const text = 'CREATE TABLE t (id INTEGER);\n';
  assert.equal(checksumOf(enc(text)), createHash('sha256').update(text).digest('hex'));
  assert.equal(checksumOf(text), checksumOf(enc(text)));
});

test('CRLF, CR and LF give the same checksum; other changes do not', () => {
  const lf = checksumOf(enc('a;\nb;\n'));
  assert.equal(checksumOf(enc('a;\r\nb;\r\n')), lf);
  assert.equal(checksumOf(enc('a;\rb;\r')), lf);
  assert.equal(checksumOf(enc('a;\r\nb;\n')), lf);
  assert.notEqual(checksumOf(enc('a; \nb;\n')), lf, 'a trailing space is an edit');
  assert.notEqual(checksumOf(enc('a;\n\nb;\n')), lf, 'a blank line is an edit');
  assert.notEqual(checksumOf(enc('a;\nb;')), lf, 'the final newline counts');
});

test('normaliseLineEndings keeps bytes without CR as they are', () => {
  const b = enc('x\ny');
  assert.equal(normaliseLineEndings(b), b);
  assert.deepEqual([...normaliseLineEndings(Uint8Array.from([0x61, 0x0d, 0x0d, 0x0a, 0x62]))], [0x61, 0x0a, 0x0a, 0x62]);
});

test('decoding refuses non-UTF-8 naming the file and the line of the bad byte', () => {
  const bytes = Uint8Array.from([...enc('-- ok\r\nSELECT 1;\n-- Caf'), 0xe9, ...enc('\n')]);
  assert.throws(
    () => decodeMigrationText(bytes, '/m/0001_x.sql'),
    (e: unknown) => e instanceof BadMigrationError && e.facts.file === '/m/0001_x.sql' && e.facts.line === 3 && /not valid UTF-8/.test(e.message) && /0xe9/.test(e.message),
  );
});

test('decoding drops a BOM and normalises line endings', () => {
  assert.equal(decodeMigrationText(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc('a\r\nb\rc')]), 'f'), 'a\nb\nc');
});

test('firstInvalidUtf8 agrees with the fatal TextDecoder', () => {
  const samples = [
    [0x61, 0xc3, 0xa9], // valid é
    [0xe2, 0x82, 0xac], // valid €
    [0xf0, 0x9f, 0x98, 0x80], // valid emoji
    [0x61, 0xc0, 0xaf], // overlong
    [0xed, 0xa0, 0x80], // surrogate
    [0x61, 0x62, 0xe2, 0x82], // truncated
    [0xf5, 0x80, 0x80, 0x80], // above U+10FFFF
    [0x80],
  ];
  const fatal = new TextDecoder('utf-8', { fatal: true });
  for (const s of samples) {
    const bytes = Uint8Array.from(s);
    let valid = true;
    try {
      fatal.decode(bytes);
    } catch {
      valid = false;
    }
    assert.equal(firstInvalidUtf8(bytes) === bytes.length, valid, JSON.stringify(s));
  }
  assert.equal(firstInvalidUtf8(Uint8Array.from([0x61, 0x62, 0xe2, 0x82])), 2);
});

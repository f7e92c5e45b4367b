/**
 * Large files (src/source/large-file.ts) read as streams must load exactly as the whole-file path
 * does: same checksum, format, transaction, phase and directives, the same statements with the same
 * lines for every dialect, and the same refusals. The threshold is set to 0 bytes so every fixture
 * takes the streaming path (the real threshold is exercised by test/cli/large-file.test.ts).
 * Pure: no database.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFsSource } from '../../src/source/fs/fs-source.js';
import { ChecksumStream, checksumOfFile, LARGE_FILE_BYTES } from '../../src/source/large-file.js';
import { checksumOf } from '../../src/source/checksum.js';
import { statementsOf, streamStatementsOf } from '../../src/core/statements.js';
import { loadDialect } from '../../src/dialect/registry.js';
import type { LoadedMigration, MigrationBody, Statement } from '../../src/source/migration.js';
import type { Dialect } from '../../src/dialect/dialect.js';
import { ROOT } from '../helpers/cli.js';

const dialects: Dialect[] = await Promise.all((['postgres', 'mysql', 'sqlite'] as const).map((d) => loadDialect(d)));

type Outcome = { ok: unknown } | { error: string };
/**
 * A parse error's detail differs: the streaming path parses the statement without its `;` (the
 * parser then says "at end of input" rather than "at or near ;", and quotes the line without it).
 * The file, line and the rest of the message are compared.
 */
async function outcome<T>(fn: () => Promise<T>): Promise<Outcome> {
  try {
    return { ok: await fn() };
  } catch (e) {
    return { error: (e as Error).message.replace(/(cannot parse this SQL: ).*$/s, '$1') };
  }
}

async function statementsOfBody(dialect: Dialect, body: MigrationBody | undefined): Promise<Statement[] | string> {
  if (!body) return 'none';
  if (body.kind === 'code') return 'code';
  if (body.kind === 'sql') return statementsOf(dialect, body.file, body.segments);
  const out: Statement[] = [];
  for await (const s of streamStatementsOf(dialect, body)) out.push(s);
  return out;
}

function meta(m: LoadedMigration): unknown {
  return { ref: m.ref, checksum: m.checksum, transaction: m.transaction, downTransaction: m.downTransaction, phase: m.phase, directives: m.directives, hasDown: m.down !== undefined };
}

/** Load every migration of `dir` both ways and compare everything, statements for every dialect. */
async function compareFolder(dir: string): Promise<number> {
  const small = createFsSource(dir, { largeFileBytes: Number.MAX_SAFE_INTEGER });
  const large = createFsSource(dir, { largeFileBytes: 0 });
  let refs;
  try {
    refs = await small.list();
  } catch {
    return 0;
  }
  let streamed = 0;
  for (const ref of refs) {
    const a = await outcome(() => small.load(ref));
    const b = await outcome(() => large.load(ref));
    if ('error' in a || 'error' in b) {
      assert.deepEqual(b, a, `${ref.upFile}: load`);
      continue;
    }
    const ma = a.ok as LoadedMigration;
    const mb = b.ok as LoadedMigration;
    assert.deepEqual(meta(mb), meta(ma), `${ref.upFile}: loaded`);
    assert.equal(await large.checksum(ref), ma.checksum, `${ref.upFile}: checksum()`);
    if (mb.up.kind === 'sql-stream') streamed++;
    for (const d of dialects) {
      for (const dir of ['up', 'down'] as const) {
        const want = await outcome(() => statementsOfBody(d, ma[dir]));
        const got = await outcome(() => statementsOfBody(d, mb[dir]));
        assert.deepEqual(got, want, `${ref.upFile} ${dir} on ${d.name}`);
      }
    }
  }
  return streamed;
}

function foldersUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(p, ...foldersUnder(p));
  }
  return out;
}

describe('large files load as the whole-file path loads them', () => {
  test('the default threshold is 16 MiB', () => {
    assert.equal(LARGE_FILE_BYTES, 16 * 1024 * 1024);
  });

  test('every fixture folder (formats, bad input, check fixtures, examples): same migrations, statements and errors', async () => {
    let streamed = 0;
    for (const dir of [...foldersUnder(join(ROOT, 'test/fixtures')), ...foldersUnder(join(ROOT, 'examples'))]) streamed += await compareFolder(dir);
    assert.ok(streamed >= 10, `only ${streamed} migrations took the streaming path`);
  });

  test('a file larger than several read chunks with CRLF, lone CR, a BOM, multi-byte text, markers and directives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godwit-large-'));
    const parts: string[] = ['\uFEFF-- godwit:phase post\r\n', '-- godwit:up\r\n', 'CREATE TABLE t (id int, s text);\r\n'];
    for (let i = 0; i < 8000; i++) parts.push(`INSERT INTO t VALUES (${i}, 'ümlaut; ${i} 😀 ''q'' --');${i % 7 === 0 ? '\r' : '\r\n'}`);
    parts.push('/* a comment; spanning\r\n lines */\r\n-- godwit:down\r\nDROP TABLE t;\r\n');
    writeFileSync(join(dir, '0001_big.sql'), parts.join(''));
    writeFileSync(join(dir, '0002_goose.sql'), `-- +goose Up\n-- +goose StatementBegin\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n-- +goose StatementEnd\n${'SELECT 1;\n'.repeat(20000)}-- +goose Down\nDROP FUNCTION f;\n`);
    assert.ok(statSync(join(dir, '0001_big.sql')).size > 200_000);
    assert.equal(await compareFolder(dir), 2);
    const m = await createFsSource(dir, { largeFileBytes: 0 }).load((await createFsSource(dir).list())[0]!);
    assert.equal(m.phase, 'post');
  });

  test('bytes that are not UTF-8 deep in the file: the same refusal, naming the line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godwit-large-'));
    const text = Buffer.from(`-- godwit:up\n${'SELECT 1;\n'.repeat(30000)}SELECT 'caf`);
    writeFileSync(join(dir, '0001_bad.sql'), Buffer.concat([text, Buffer.from([0xe9]), Buffer.from("';\n")]));
    const ref = (await createFsSource(dir).list())[0]!;
    const a = await outcome(() => createFsSource(dir).load(ref));
    const b = await outcome(() => createFsSource(dir, { largeFileBytes: 0 }).load(ref));
    assert.ok('error' in a && /:30002: the file is not valid UTF-8/.test(a.error), JSON.stringify(a));
    assert.deepEqual(b, a);
  });

  test('a file changed after it was loaded is refused when its statements are read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'godwit-large-'));
    const file = join(dir, '0001_x.sql');
    writeFileSync(file, 'SELECT 1;\nSELECT 2;\n');
    const src = createFsSource(dir, { largeFileBytes: 0 });
    const m = await src.load((await src.list())[0]!);
    assert.equal(m.up.kind, 'sql-stream');
    appendFileSync(file, 'DROP TABLE users;\n');
    await assert.rejects(statementsOfBody(dialects[0]!, m.up), /changed while Godwit was using it/);
    writeFileSync(file, 'SELECT 1;\nSELECT 3;\n'); // same size, other bytes: caught by the checksum at the end
    await assert.rejects(statementsOfBody(dialects[0]!, m.up), /changed while Godwit was using it/);
  });

  test('the streaming checksum equals checksumOf for CR/LF split across chunks', async () => {
    const bytes = Buffer.from('a\r\nb\rc\r\r\nd\n\r');
    for (let cut = 0; cut <= bytes.length; cut++) {
      const h = new ChecksumStream();
      h.update(bytes.subarray(0, cut));
      h.update(bytes.subarray(cut));
      assert.equal(h.digest(), checksumOf(bytes), `cut at ${cut}`);
    }
    const dir = mkdtempSync(join(tmpdir(), 'godwit-large-'));
    const big = Buffer.from('x\r'.repeat(100_000) + 'y\r\n'.repeat(100_000));
    writeFileSync(join(dir, 'f.sql'), big);
    assert.equal(await checksumOfFile(join(dir, 'f.sql')), checksumOf(big));
  });
});

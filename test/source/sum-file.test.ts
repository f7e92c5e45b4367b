import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { IntegrityError } from '../../src/core/errors.js';
import { createFsSource } from '../../src/source/fs/fs-source.js';
import {
  checkSumFile,
  computeSumFile,
  formatSumFile,
  parseSumFile,
  renderSumFile,
  SUM_FILE_NAME,
  verifySumFile,
  type SumEntry,
} from '../../src/source/sum-file.js';
import { tempFolder } from './temp-folder.js';

const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const E = (fileName: string, content: string): SumEntry => ({ fileName, checksum: sha(content) });
const base = [E('0001_a.sql', 'A'), E('0002_b.up.sql', 'B'), E('0002_b.down.sql', 'b'), E('0003_c.sql', 'C')];

test('each line chains over all earlier files; the header holds count and total', () => {
  const sum = computeSumFile(base);
  const h1 = sha(` 0001_a.sql ${sha('A')}`);
  const h2 = sha(`${h1} 0002_b.up.sql ${sha('B')}`);
  assert.equal(sum.lines[0]!.hash, h1);
  assert.equal(sum.lines[1]!.hash, h2);
  assert.equal(sum.count, 4);
  assert.equal(sum.total, sum.lines[3]!.hash);
  const text = formatSumFile(sum);
  assert.match(text, /^godwit\.sum v1 4 [0-9a-f]{64}\n0001_a\.sql [0-9a-f]{64}\n/);
  assert.deepEqual(parseSumFile(text), sum);
  assert.deepEqual(checkSumFile(base, text), []);
  // Editing the first file changes every later line: the chain covers history.
  const edited = computeSumFile([E('0001_a.sql', 'A2'), ...base.slice(1)]);
  for (let i = 0; i < 4; i++) assert.notEqual(edited.lines[i]!.hash, sum.lines[i]!.hash);
  assert.equal(formatSumFile(computeSumFile([])), `godwit.sum v1 0 ${sha('')}\n`);
});

test('problems: added, removed, edited, reordered, each naming its file', () => {
  const text = formatSumFile(computeSumFile(base));
  const kinds = (entries: SumEntry[], t = text): string[] => checkSumFile(entries, t).map((p) => `${p.kind} ${p.file}`);
  assert.deepEqual(kinds([...base, E('0004_d.sql', 'D')]), ['added 0004_d.sql']);
  assert.deepEqual(kinds([base[0]!, base[1]!, base[3]!]), ['removed 0002_b.down.sql']);
  assert.deepEqual(kinds([base[0]!, E('0002_b.up.sql', 'B!'), base[2]!, base[3]!]), ['edited 0002_b.up.sql'], 'only the edited file is reported');
  assert.deepEqual(kinds([E('0001_a.sql', 'A!'), ...base.slice(1)]), ['edited 0001_a.sql']);
  assert.deepEqual(kinds([base[0]!, base[3]!, base[1]!, base[2]!]), ['reordered 0003_c.sql']);
  const msgs = checkSumFile([...base.slice(0, 3), E('0003_c.sql', 'C!')], text).map((p) => p.message);
  assert.match(msgs[0]!, /0003_c\.sql changed since godwit\.sum was written/);
});

test('a hand-edited or broken sum file is reported', () => {
  const text = formatSumFile(computeSumFile(base));
  const lines = text.split('\n');
  // Replace one line's hash: that line, the next one and the header no longer agree.
  const forged = lines.map((l, i) => (i === 2 ? l.replace(/[0-9a-f]{64}$/, sha('forged')) : l)).join('\n');
  const kinds = checkSumFile(base, forged).map((p) => `${p.kind} ${p.file}`);
  assert.deepEqual(kinds, ['edited 0002_b.up.sql', 'edited 0002_b.down.sql']);
  const forgedLast = text.replace(/[0-9a-f]{64}\n$/, `${sha('x')}\n`);
  assert.deepEqual(checkSumFile(base, forgedLast).map((p) => p.kind), ['corrupt', 'edited']);
  assert.deepEqual(checkSumFile(base, text.replace('v1 4', 'v1 5')).map((p) => p.kind), ['corrupt']);
  for (const broken of ['', 'hello\n', text.replace('0001_a.sql ', '0001_a.sql  '), `${text}<<<<<<< HEAD\n`]) {
    const p = checkSumFile(base, broken);
    assert.equal(p.length, 1);
    assert.equal(p[0]!.kind, 'corrupt');
  }
  assert.throws(() => parseSumFile(`${text}=======\n`), (e: unknown) => e instanceof IntegrityError && e.code === 'INTEGRITY' && /git conflict markers/.test(e.message) && e.facts.line === 6);
  assert.deepEqual(checkSumFile(base, text.replace(/\n/g, '\r\n')), [], 'CRLF checkouts verify');
});

test('two branches that each add a migration conflict in git', () => {
  const repo = tempFolder();
  const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  writeFileSync(join(repo, SUM_FILE_NAME), formatSumFile(computeSumFile(base)));
  git('add', '.');
  git('commit', '-qm', 'base');
  git('checkout', '-qb', 'feature');
  writeFileSync(join(repo, SUM_FILE_NAME), formatSumFile(computeSumFile([...base, E('0004_feature.sql', 'F')])));
  git('commit', '-qam', 'feature');
  git('checkout', '-q', 'main');
  writeFileSync(join(repo, SUM_FILE_NAME), formatSumFile(computeSumFile([...base, E('0004_other.sql', 'O')])));
  git('commit', '-qam', 'other');
  assert.throws(() => git('merge', '-q', 'feature'), 'git refuses to merge the two sum files silently');
  assert.match(git('status', '--porcelain'), /^UU godwit\.sum$/m);
  assert.throws(() => parseSumFile(readFileSync(join(repo, SUM_FILE_NAME), 'utf8')), /git conflict markers/);
});

test('verifySumFile / renderSumFile on a folder, including pairs and the fixture', async () => {
  const dir = tempFolder({ '1_a.up.sql': 'SELECT 1;\n', '1_a.down.sql': 'SELECT -1;\n', '2_b.sql': 'SELECT 2;\n' });
  const src = createFsSource(dir);
  assert.deepEqual(await verifySumFile(dir, await src.list()), [], 'no sum file: nothing to verify');
  const text = await renderSumFile(await src.list());
  assert.deepEqual(text.split('\n').slice(1, 4).map((l) => l.split(' ')[0]), ['1_a.up.sql', '1_a.down.sql', '2_b.sql']);
  writeFileSync(join(dir, SUM_FILE_NAME), text);
  assert.deepEqual(await verifySumFile(dir, await src.list()), []);
  appendFileSync(join(dir, '1_a.down.sql'), '-- changed\n');
  writeFileSync(join(dir, '3_c.sql'), 'SELECT 3;\n');
  const problems = await verifySumFile(dir, await src.list());
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /1_a\.down\.sql changed/);
  assert.match(problems[1]!, /3_c\.sql is not in godwit\.sum/);

  const fixtures = resolve(import.meta.dirname, '../fixtures');
  const good = join(fixtures, 'formats/godwit');
  assert.deepEqual(await verifySumFile(good, await createFsSource(good).list()), []);
  const bad = join(fixtures, 'bad/sum-mismatch');
  const found = await verifySumFile(bad, await createFsSource(bad).list());
  assert.equal(found.length, 1);
  assert.match(found[0]!, /0002_add_users_display_name\.sql changed/);
});

test('a file above the large-file threshold is hashed in chunks, to the same checksum as a whole read', async () => {
  const { LARGE_FILE_BYTES } = await import('../../src/source/large-file.js');
  const { checksumOf } = await import('../../src/source/checksum.js');
  const row = "INSERT INTO t VALUES (1, 'row with some text');\r\n";
  const big = row.repeat(Math.ceil((LARGE_FILE_BYTES + 1024) / row.length));
  const dir = tempFolder({ '1_big.sql': big, '2_small.sql': 'SELECT 2;\n' });
  const text = await renderSumFile(await createFsSource(dir).list());
  const expected = formatSumFile(computeSumFile([
    { fileName: '1_big.sql', checksum: checksumOf(Buffer.from(big)) },
    { fileName: '2_small.sql', checksum: checksumOf('SELECT 2;\n') },
  ]));
  assert.equal(text, expected, 'the same lines as hashing the whole file (CRLF normalised alike)');
  writeFileSync(join(dir, SUM_FILE_NAME), text);
  assert.deepEqual(await verifySumFile(dir, await createFsSource(dir).list()), []);
});

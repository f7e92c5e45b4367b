/**
 * Authoring commands through the CLI: `new` (native format, sequential and timestamp numbering,
 * TypeScript), `hash`, and `godwit.sum` verification (exit 6 on a mismatch); `validate`.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli, tempDir } from '../helpers/cli.js';

describe('authoring', () => {
  test('new writes the native single-file format, numbered after the folder, and updates godwit.sum', async () => {
    const cwd = tempDir({});
    let r = await runCli(['new', 'create users'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    let files = readdirSync(join(cwd, 'migrations')).sort();
    assert.deepEqual(files, ['0001_create_users.sql', 'godwit.sum']);
    const body = readFileSync(join(cwd, 'migrations/0001_create_users.sql'), 'utf8');
    assert.match(body, /-- godwit:up/);
    assert.match(body, /-- godwit:down/);
    // The template's up section is empty: refused until SQL is written (exit 2).
    r = await runCli(['up', '--database', 'sqlite:app.db'], { cwd });
    assert.equal(r.code, 2);
    writeFileSync(join(cwd, 'migrations/0001_create_users.sql'), body.replace('-- godwit:up\n', '-- godwit:up\nCREATE TABLE users (id INTEGER PRIMARY KEY);\n'));
    // The edit is not in godwit.sum yet: exit 6 until `godwit hash`.
    r = await runCli(['up', '--database', 'sqlite:app.db'], { cwd });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /godwit\.sum/);
    r = await runCli(['hash'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['up', '--database', 'sqlite:app.db'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['new', 'add', 'email', '--ts'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    r = await runCli(['new', 'later', '--timestamp'], { cwd });
    assert.equal(r.code, 0, r.stderr);
    files = readdirSync(join(cwd, 'migrations')).sort();
    assert.equal(files[1], '0002_add_email.ts');
    assert.match(files[2]!, /^\d{14}_later\.sql$/);
    const sum = readFileSync(join(cwd, 'migrations/godwit.sum'), 'utf8');
    assert.match(sum, /^godwit\.sum v1 3 /);
  });

  test('a godwit.sum that does not match the folder stops the run with exit 6', async () => {
    const dir = join(ROOT, 'test/fixtures/bad/sum-mismatch');
    const cwd = tempDir({});
    const r = await runCli(['up', '--database', 'sqlite:app.db', '--dir', dir], { cwd });
    assert.equal(r.code, 6, r.stderr);
    assert.match(r.stderr, /0002_add_users_display_name\.sql/);
    assert.deepEqual(readdirSync(cwd), [], 'no database was created');
  });

  test('validate: exit 0 for good files, 2 for bad ones, checks code migrations load', async () => {
    let r = await runCli(['validate', '--dir', join(ROOT, 'test/fixtures/formats/mixed')]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /3 migration\(s\) valid/);
    const dir = tempDir({ '0001_a.ts': 'export const nothing = 1;\n' });
    r = await runCli(['validate', '--dir', dir]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /0001_a\.ts/);
    const dir2 = tempDir({ '0001_a.sql': 'SELECT 1;\n' });
    appendFileSync(join(dir2, '0001_a.sql'), '-- godwit:phase later\n');
    r = await runCli(['validate', '--dir', dir2]);
    assert.equal(r.code, 2);
  });
});

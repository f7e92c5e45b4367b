/**
 * History integrity through the CLI on every dialect: edited, missing and out-of-order files stop
 * the run with exit 6; a database ahead of the files exits 0 (6 with --strict); repair and baseline.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { ALL_KINDS, createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { runCli, tempDir } from '../helpers/cli.js';
import { eventActions, historyRows, tableExists } from '../helpers/inspect.js';

const m = (table: string) => `-- godwit:up\nCREATE TABLE ${table} (id INTEGER PRIMARY KEY);\n-- godwit:down\nDROP TABLE ${table};\n`;

for (const kind of ALL_KINDS) {
  describe(`integrity on ${kind}`, async () => {
    const opts = await skipUnless(kind);
    let db: TestDb;
    let dir: string;
    const cli = (...args: string[]) => runCli(['--database', db.url, '--dir', dir, ...args]);
    before(async () => {
      if (opts.skip) return;
      db = await createTestDb(kind);
      dir = tempDir({ '0001_a.sql': m('a'), '0002_b.sql': m('b'), '0004_d.sql': m('d') });
      const r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
    });
    after(async () => {
      await db?.drop();
    });

    test('an edited applied file stops the run with exit 6 naming the file; CRLF alone is not an edit', opts, async () => {
      writeFileSync(join(dir, '0002_b.sql'), m('b').replace(/\n/g, '\r\n'));
      let r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
      appendFileSync(join(dir, '0002_b.sql'), '-- edited\r\n');
      writeFileSync(join(dir, '0005_e.sql'), m('e'));
      r = await cli('up');
      assert.equal(r.code, 6);
      assert.match(r.stderr, /0002_b\.sql.*edited after it ran/);
      assert.equal(await tableExists(db, 'e'), false, 'nothing ran');
      r = await cli('validate');
      assert.equal(r.code, 6);
      r = await cli('repair', '2', '--accept-checksum');
      assert.equal(r.code, 0, r.stderr);
      assert.ok((await eventActions(db)).includes('repair:2'));
      r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await tableExists(db, 'e'), true);
    });

    test('a pending version below the newest applied is out of order (exit 6) unless --allow-out-of-order', opts, async () => {
      writeFileSync(join(dir, '0003_c.sql'), m('c'));
      let r = await cli('up');
      assert.equal(r.code, 6);
      assert.match(r.stderr, /0003_c\.sql: version 3 is pending but lower than the newest applied 5/);
      assert.equal(await tableExists(db, 'c'), false);
      r = await cli('up', '--allow-out-of-order');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await tableExists(db, 'c'), true);
    });

    test('an applied file that is gone stops the run with exit 6; repair --forget accepts it', opts, async () => {
      rmSync(join(dir, '0003_c.sql'));
      let r = await cli('up');
      assert.equal(r.code, 6);
      assert.match(r.stderr, /migration 3 \(c\) is applied but its file is gone/);
      r = await cli('repair', '3', '--forget');
      assert.equal(r.code, 0, r.stderr);
      r = await cli('up');
      assert.equal(r.code, 0, r.stderr);
    });

    test('a database ahead of the files exits 0 (6 with --strict); down refuses versions it has no file for', opts, async () => {
      const older = tempDir({ '0001_a.sql': m('a'), '0002_b.sql': m('b').replace(/\n/g, '\r\n') + '-- edited\r\n', '0004_d.sql': m('d') });
      let r = await runCli(['--database', db.url, '--dir', older, 'up']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /newer than this build \(5\)/);
      r = await runCli(['--database', db.url, '--dir', older, 'up', '--strict']);
      assert.equal(r.code, 6);
      r = await runCli(['--database', db.url, '--dir', older, 'down']);
      assert.equal(r.code, 6);
      assert.match(r.stderr, /no file for it/);
      assert.deepEqual((await historyRows(db)).map((h) => h.version), [1, 2, 4, 5]);
    });

    test('baseline marks versions applied without running them', opts, async () => {
      const fresh = await createTestDb(kind);
      try {
        const r = await runCli(['--database', fresh.url, '--dir', dir, 'baseline', '2']);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual((await historyRows(fresh)).map((h) => [h.version, h.status]), [[1, 'applied'], [2, 'applied']]);
        assert.equal(await tableExists(fresh, 'a'), false, 'baseline runs nothing');
        const up = await runCli(['--database', fresh.url, '--dir', dir, 'up']);
        assert.equal(up.code, 0, up.stderr);
        assert.equal(await tableExists(fresh, 'a'), false);
        assert.equal(await tableExists(fresh, 'd'), true);
        assert.ok((await eventActions(fresh)).includes('baseline:1'));
      } finally {
        await fresh.drop();
      }
    });
  });
}

/**
 * The library entry as apps use it: createMigrator with a folder or in-code migrations, the event
 * stream, typed errors with stable codes, and no console output.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { createMigrator, isGodwitError, type RunEvent } from '../../src/index.js';
import { ALL_KINDS, createTestDb, skipUnless } from '../helpers/databases.js';
import { tempDir } from '../helpers/cli.js';
import { count } from '../helpers/inspect.js';

describe('library', async () => {
  test('options are validated eagerly with typed errors', () => {
    assert.throws(() => createMigrator({ database: '', dir: '.' }), (e) => isGodwitError(e) && e.code === 'CONFIG');
    assert.throws(() => createMigrator({ database: 'sqlite::memory:', dir: '.', table: 'bad-name;' }), (e) => isGodwitError(e) && e.code === 'CONFIG');
    assert.throws(() => createMigrator({ database: 'redis://x/1', dir: '.' }), (e) => isGodwitError(e) && e.code === 'CONFIG');
    assert.throws(() => createMigrator({ database: 'sqlite::memory:' }), /exactly one of/);
  });

  for (const kind of ALL_KINDS) {
    test(`in-code migrations, events and status on ${kind}`, await skipUnless(kind), async () => {
      const db = await createTestDb(kind);
      const logged: unknown[] = [];
      const orig = { log: console.log, error: console.error, warn: console.warn, info: console.info };
      console.log = console.error = console.warn = console.info = (...a: unknown[]) => logged.push(a);
      try {
        const events: RunEvent[] = [];
        const m = createMigrator({
          database: db.url,
          migrations: [
            { version: 1, name: 'things', up: 'CREATE TABLE things (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)', down: 'DROP TABLE things' },
            {
              version: 2,
              name: 'seed',
              up: async (ctx) => {
                await ctx.exec('INSERT INTO things (id, n) VALUES (1, 10)');
              },
              down: async (ctx) => {
                await ctx.exec('DELETE FROM things');
              },
            },
          ],
        });
        m.on('event', (e) => events.push(e));
        const r = await m.up();
        assert.deepEqual(r.versions, [1, 2]);
        assert.equal(await count(db, 'things'), 1);
        assert.deepEqual(events.filter((e) => e.type === 'migration-done').map((e) => (e as { version: number }).version), [1, 2]);
        const st = await m.status();
        assert.deepEqual(st.states.map((s) => s.status), ['applied', 'applied']);
        assert.deepEqual(st.pending, []);
        await m.down({ all: true });
        assert.deepEqual((await m.status()).pending, [1, 2]);
        const bad = createMigrator({ database: db.url, table: 'other_history', migrations: [{ version: 1, name: 'bad', up: 'INSERT INTO no_such_table (id) VALUES (1)' }] });
        await assert.rejects(bad.up(), (e) => isGodwitError(e) && e.code === 'MIGRATION_FAILED' && typeof e.facts.databaseMessage === 'string');
        assert.deepEqual(logged, [], 'the library wrote nothing to the console');
      } finally {
        Object.assign(console, orig);
        await db.drop();
      }
    });
  }

  test('a folder source with a relative sqlite URL resolved against cwd', async () => {
    const dir = tempDir({ 'migrations/0001_a.sql': 'CREATE TABLE a (id INTEGER);\n' });
    const m = createMigrator({ database: 'sqlite:app.db', dir: join(dir, 'migrations'), cwd: dir });
    const r = await m.up();
    assert.deepEqual(r.versions, [1]);
    const again = await m.up();
    assert.deepEqual(again.versions, []);
  });
});

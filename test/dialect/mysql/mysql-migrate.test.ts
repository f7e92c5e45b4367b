/**
 * The migrator on MariaDB through the library (createMigrator + in-code migrations): MySQL DDL
 * commits implicitly, so DDL migrations run statement by statement with recorded progress, DML-only
 * ones in a transaction; DELIMITER routines; failing lines mapped back; both lock modes.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createMigrator } from '../../../src/core/migrator.js';
import type { MemoryMigration } from '../../../src/source/memory/memory-source.js';
import type { RunEvent } from '../../../src/report/run-event.js';
import { createTestDb, skipUnless, type TestDb } from '../../helpers/databases.js';

const M1: MemoryMigration = {
  version: 1,
  name: 'accounts',
  up: 'CREATE TABLE accounts (id INT PRIMARY KEY, email VARCHAR(200) NOT NULL);\nCREATE UNIQUE INDEX accounts_email ON accounts (email);\n',
  down: 'DROP TABLE accounts;',
};
const M2: MemoryMigration = {
  version: 2,
  name: 'seed',
  up: "INSERT INTO accounts VALUES (1, 'a@example.com');\nINSERT INTO accounts VALUES (2, 'b@example.com');",
  down: 'DELETE FROM accounts WHERE id IN (1, 2);',
};
const M3: MemoryMigration = {
  version: 3,
  name: 'routine',
  up: [
    'DELIMITER //',
    'CREATE FUNCTION account_count() RETURNS INT READS SQL DATA DETERMINISTIC',
    'BEGIN',
    '  DECLARE n INT;',
    '  SELECT COUNT(*) INTO n FROM accounts;',
    '  RETURN n;',
    'END //',
    'DELIMITER ;',
  ].join('\n'),
  down: 'DROP FUNCTION account_count;',
};

describe('migrating MariaDB through the library', await skipUnless('mysql'), () => {
  let db: TestDb;
  before(async () => {
    db = await createTestDb('mysql', 'gwmymig');
  });
  after(async () => {
    await db?.drop();
  });

  function migrator(migrations: readonly MemoryMigration[], extra: Record<string, unknown> = {}, events: RunEvent[] = []) {
    return createMigrator({ database: db.url, migrations, reporter: { report: (e: RunEvent) => void events.push(e) }, connectTimeoutMs: 5000, ...extra });
  }

  test('up applies DDL step by step, DML in a transaction, a DELIMITER function; down reverts', async () => {
    const events: RunEvent[] = [];
    await migrator([M1, M2, M3], {}, events).up();
    const starts = events.filter((e): e is Extract<RunEvent, { type: 'migration-start' }> => e.type === 'migration-start');
    assert.deepEqual(
      starts.map((e) => [e.version, e.transaction]),
      [
        [1, false],
        [2, true],
        [3, false],
      ],
    );
    assert.deepEqual(await db.sql('SELECT account_count() AS n'), [{ n: 2 }]);
    assert.deepEqual(await db.sql('SELECT version, status, statements_applied, statements_total FROM godwit_migrations ORDER BY version'), [
      { version: 1, status: 'applied', statements_applied: 2, statements_total: 2 },
      { version: 2, status: 'applied', statements_applied: 2, statements_total: 2 },
      { version: 3, status: 'applied', statements_applied: 1, statements_total: 1 },
    ]);
    // No-op run: nothing pending.
    await migrator([M1, M2, M3]).up();
    await migrator([M1, M2, M3]).down({ step: 2 });
    assert.deepEqual((await db.sql<{ version: number }>('SELECT version FROM godwit_migrations')).map((r) => r.version), [1]);
    assert.deepEqual(await db.sql('SELECT COUNT(*) AS n FROM accounts'), [{ n: 0 }]);
    await migrator([M1, M2, M3]).down({ step: 1 });
    assert.deepEqual(await db.sql("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'accounts'"), []);
  });

  test('a DML migration that fails is rolled back, naming the line', async () => {
    const bad: MemoryMigration = { version: 2, name: 'bad_seed', up: "INSERT INTO accounts VALUES (1, 'a');\n\nINSERT INTO accounts VALUES\n  (1, 'dup');" };
    await migrator([M1]).up();
    await assert.rejects(migrator([M1, bad]).up(), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'MIGRATION_FAILED', String(e));
      assert.equal((e as { facts: { line?: number } }).facts.line, 3);
      assert.match(String((e as Error).message), /Duplicate entry/);
      return true;
    });
    assert.deepEqual(await db.sql('SELECT COUNT(*) AS n FROM accounts'), [{ n: 0 }]);
    await migrator([M1]).down({ step: 1 });
  });

  test('a DDL migration failing at its second statement is partial: the first stays applied and recorded, the syntax error names its line', async () => {
    const bad: MemoryMigration = { version: 5, name: 'half', up: 'CREATE TABLE half_a (id INT);\nCREATE TABLE half_b (\n  id INT,\n  v INT NOT NOT NULL\n);' };
    await assert.rejects(migrator([bad]).up(), (e: unknown) => {
      assert.equal((e as { code?: string }).code, 'PARTIAL', String(e));
      assert.equal((e as { facts: { line?: number } }).facts.line, 4); // "... near 'NOT NULL ...' at line 3" of the statement on line 2
      assert.match(String((e as Error).message), /memory:5_half:4\b/);
      return true;
    });
    assert.deepEqual(await db.sql('SELECT version, status, statements_applied, statements_total FROM godwit_migrations WHERE version = 5'), [
      { version: 5, status: 'failed', statements_applied: 1, statements_total: 2 },
    ]);
    await db.sql('DROP TABLE half_a');
    await db.sql('DELETE FROM godwit_migrations WHERE version = 5');
  });

  test('lease mode applies too, and leaves no lease row behind', async () => {
    await migrator([M1], { lockMode: 'lease', table: 'lease_migrations' }).up();
    assert.deepEqual(await db.sql('SELECT version FROM lease_migrations'), [{ version: 1 }]);
    assert.deepEqual(await db.sql('SELECT * FROM lease_migrations_lock'), []);
    await migrator([M1], { lockMode: 'lease', table: 'lease_migrations' }).down({ step: 1 });
  });
});

/**
 * GW401 checked against a real MariaDB: a statement the linter reports must be one the server
 * refuses to run with ALGORITHM=INPLACE (it needs a table copy), and a statement it does not report
 * must run with ALGORITHM=INPLACE. The linter sees the CREATE TABLE as an earlier migration.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { lintMigrations } from '../../src/lint/lint-migration.js';
import type { LintInput } from '../../src/lint/lint-input.js';

interface Case {
  readonly table: string;
  /** What follows `CREATE TABLE <table>`. */
  readonly create: string;
  /** The ALTER TABLE clauses, without ALGORITHM. */
  readonly clauses: string;
}

const CASES: readonly Case[] = [
  { table: 'c_int_bigint', create: '(id int PRIMARY KEY, a int)', clauses: 'MODIFY a bigint' },
  { table: 'c_same_type', create: '(id int PRIMARY KEY, a varchar(100))', clauses: 'MODIFY a varchar(100) AFTER id' },
  { table: 'c_rename_same_type', create: '(id int PRIMARY KEY, a varchar(100))', clauses: 'CHANGE a b varchar(100)' },
  { table: 'c_varchar_inplace', create: '(id int PRIMARY KEY, a varchar(100))', clauses: 'MODIFY a varchar(200)' },
  { table: 'c_varchar_crossing', create: '(id int PRIMARY KEY, a varchar(50))', clauses: 'MODIFY a varchar(100)' },
  { table: 'c_varchar_shorter', create: '(id int PRIMARY KEY, a varchar(100))', clauses: 'MODIFY a varchar(50)' },
  { table: 'c_drop_pk', create: '(id int NOT NULL PRIMARY KEY, a int)', clauses: 'DROP PRIMARY KEY' },
  { table: 'c_replace_pk', create: '(id int NOT NULL PRIMARY KEY, a int NOT NULL)', clauses: 'DROP PRIMARY KEY, ADD PRIMARY KEY (id, a)' },
  { table: 'c_convert', create: '(id int PRIMARY KEY, a varchar(20)) CHARACTER SET latin1', clauses: 'CONVERT TO CHARACTER SET utf8mb4' },
  { table: 'c_add_column', create: '(id int PRIMARY KEY)', clauses: 'ADD COLUMN b int' },
];

describe('GW401 agrees with MariaDB about table copies', async () => {
  const opts = await skipUnless('mysql');
  let db: TestDb;
  before(async () => {
    if (!opts.skip) db = await createTestDb('mysql', 'gwlint');
  });
  after(async () => {
    await db?.drop();
  });

  for (const c of CASES) {
    test(c.clauses, opts, async () => {
      const create = `CREATE TABLE ${c.table} ${c.create}`;
      await db.sql(create);
      let copyNeeded = false;
      try {
        await db.sql(`ALTER TABLE ${c.table} ${c.clauses}, ALGORITHM=INPLACE`);
      } catch (e) {
        assert.match((e as Error).message, /ALGORITHM=INPLACE is not supported/i);
        copyNeeded = true;
      }
      const base = { version: 1, phase: 'post' as const, transaction: true, dialect: 'mysql' as const, hasDown: false, directives: [] };
      const inputs: LintInput[] = [
        { ...base, file: 'create.sql', statements: [{ sql: create, line: 1 }], contextOnly: true },
        { ...base, file: 'change.sql', version: 2, statements: [{ sql: `ALTER TABLE ${c.table} ${c.clauses}`, line: 1 }] },
      ];
      const r = await lintMigrations(inputs);
      const reported = r.diagnostics.some((d) => d.code === 'GW401');
      assert.ok(!r.diagnostics.some((d) => d.code === 'GW901'), 'the linter must read these statements');
      assert.equal(reported, copyNeeded, `MariaDB ${copyNeeded ? 'needs' : 'does not need'} a copy; the linter ${reported ? 'reported' : 'did not report'} GW401`);
    });
  }
});

/**
 * The PostgreSQL rewrite rules checked against a real server: GW306 (type change) and GW307
 * (ADD COLUMN default) must report exactly the statements that make PostgreSQL rewrite the table,
 * observed as a new relfilenode. The linter sees the CREATE TABLE as an earlier migration.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { lintMigrations } from '../../src/lint/lint-migration.js';
import type { LintInput } from '../../src/lint/lint-input.js';

interface Case {
  readonly table: string;
  readonly columns: string;
  readonly change: string;
}

const CASES: readonly Case[] = [
  { table: 'r_varchar_longer', columns: 'a varchar(50)', change: 'ALTER TABLE r_varchar_longer ALTER COLUMN a TYPE varchar(200)' },
  { table: 'r_varchar_text', columns: 'a varchar(50)', change: 'ALTER TABLE r_varchar_text ALTER COLUMN a TYPE text' },
  { table: 'r_text_varchar', columns: 'a text', change: 'ALTER TABLE r_text_varchar ALTER COLUMN a TYPE varchar' },
  { table: 'r_numeric_wider', columns: 'a numeric(10,2)', change: 'ALTER TABLE r_numeric_wider ALTER COLUMN a TYPE numeric(12,2)' },
  { table: 'r_numeric_plain', columns: 'a numeric(10,2)', change: 'ALTER TABLE r_numeric_plain ALTER COLUMN a TYPE numeric' },
  { table: 'r_varchar_shorter', columns: 'a varchar(50)', change: 'ALTER TABLE r_varchar_shorter ALTER COLUMN a TYPE varchar(40)' },
  { table: 'r_int_bigint', columns: 'a int', change: 'ALTER TABLE r_int_bigint ALTER COLUMN a TYPE bigint' },
  { table: 'r_using', columns: 'a varchar(50)', change: 'ALTER TABLE r_using ALTER COLUMN a TYPE varchar(60) USING a || \'\'' },
  { table: 'r_default_now', columns: 'a int', change: 'ALTER TABLE r_default_now ADD COLUMN b timestamptz NOT NULL DEFAULT now()' },
  { table: 'r_default_const', columns: 'a int', change: "ALTER TABLE r_default_const ADD COLUMN b text DEFAULT 'x'" },
  { table: 'r_default_random', columns: 'a int', change: 'ALTER TABLE r_default_random ADD COLUMN b float8 DEFAULT random()' },
  { table: 'r_default_uuid', columns: 'a int', change: 'ALTER TABLE r_default_uuid ADD COLUMN b uuid DEFAULT gen_random_uuid()' },
  { table: 'r_default_clock', columns: 'a int', change: 'ALTER TABLE r_default_clock ADD COLUMN b timestamptz DEFAULT clock_timestamp()' },
  { table: 'r_bigserial', columns: 'a int', change: 'ALTER TABLE r_bigserial ADD COLUMN b bigserial' },
  { table: 'r_identity', columns: 'a int', change: 'ALTER TABLE r_identity ADD COLUMN b bigint GENERATED ALWAYS AS IDENTITY' },
  { table: 'r_stored', columns: 'a int', change: 'ALTER TABLE r_stored ADD COLUMN b int GENERATED ALWAYS AS (a * 2) STORED' },
];

describe('GW306/GW307 agree with PostgreSQL about table rewrites', async () => {
  const opts = await skipUnless('postgres');
  let db: TestDb;
  before(async () => {
    if (!opts.skip) db = await createTestDb('postgres', 'gwlint');
  });
  after(async () => {
    await db?.drop();
  });

  for (const c of CASES) {
    test(c.change, opts, async () => {
      await db.sql(`CREATE TABLE ${c.table} (${c.columns})`);
      await db.sql(`INSERT INTO ${c.table} SELECT ${c.columns.startsWith('a int') ? 'g' : "g::text::numeric"} FROM generate_series(1, 10) g`);
      const node = async () => (await db.sql<{ n: string }>(`SELECT relfilenode::text AS n FROM pg_class WHERE relname = $1`, [c.table]))[0]!.n;
      const before = await node();
      await db.sql(c.change);
      const rewritten = (await node()) !== before;

      const base = { version: 1, phase: 'post' as const, transaction: true, dialect: 'postgres' as const, hasDown: false, directives: [] };
      const inputs: LintInput[] = [
        { ...base, file: 'create.sql', statements: [{ sql: `CREATE TABLE ${c.table} (${c.columns})`, line: 1 }], contextOnly: true },
        { ...base, file: 'change.sql', version: 2, statements: [{ sql: c.change, line: 1 }] },
      ];
      const found = (await lintMigrations(inputs)).diagnostics.map((d) => d.code).filter((x) => x === 'GW306' || x === 'GW307');
      assert.equal(found.length > 0, rewritten, `PostgreSQL ${rewritten ? 'rewrote' : 'did not rewrite'} the table; the linter reported ${found.join(', ') || 'nothing'}`);
    });
  }
});

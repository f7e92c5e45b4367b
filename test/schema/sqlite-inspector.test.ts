/** The SQLite inspector on a real SQLite file: objects in, model out; rebuilds are not differences. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas } from '../../src/schema/diff-schemas.js';
import { AFTER_DOWN, formatDifferences } from '../../src/schema/format-differences.js';
import type { Connection } from '../../src/dialect/driver.js';
import type { Dialect } from '../../src/dialect/dialect.js';
import { createTestDb, type TestDb } from '../helpers/databases.js';
import { columnOf, openSession, tableOf } from './inspect-helpers.js';

const USERS = `CREATE TABLE users (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  email VARCHAR(100) NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL DEFAULT '',
  age INTEGER CHECK (age >= 0),
  email_lower TEXT GENERATED ALWAYS AS (lower(email)) STORED
)`;

describe('SQLite inspector', () => {
  let db: TestDb;
  let conn: Connection;
  let dialect: Dialect;

  before(async () => {
    db = await createTestDb('sqlite', 'gw_inspect');
    ({ conn, dialect } = await openSession(db.url));
    for (const sql of [
      USERS,
      `CREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE age IS NOT NULL`,
      `CREATE TABLE posts (
        id INTEGER PRIMARY KEY,
        user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        title TEXT NOT NULL,
        CONSTRAINT title_not_blank CHECK (length(title) > 0),
        UNIQUE (user_id, title)
      )`,
      `CREATE INDEX posts_title_idx ON posts (title DESC)`,
      `CREATE TABLE kv (k TEXT PRIMARY KEY, v ANY) STRICT, WITHOUT ROWID`,
      `CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18`,
      `CREATE TRIGGER posts_trim AFTER INSERT ON posts BEGIN UPDATE posts SET title = trim(title) WHERE id = NEW.id; END`,
    ]) {
      await conn.exec(sql);
    }
  });

  after(async () => {
    await conn?.close();
    await db?.drop();
  });

  test('tables and columns: declared types, defaults, nullability, AUTOINCREMENT, collation, generated', async () => {
    const s = await dialect.inspectSchema(conn);
    assert.equal(s.engine, 'sqlite');
    assert.deepEqual(s.tables.map((t) => t.name), ['kv', 'posts', 'users']);
    const users = tableOf(s, 'users');
    assert.deepEqual(columnOf(users, 'id'), { name: 'id', position: 1, type: 'integer', nullable: true, default: null, generated: null, identity: 'autoincrement', collation: null });
    assert.deepEqual(columnOf(users, 'email'), { name: 'email', position: 2, type: 'varchar(100)', nullable: false, default: null, generated: null, identity: null, collation: 'nocase' });
    assert.equal(columnOf(users, 'name').default, "''");
    assert.equal(columnOf(users, 'email_lower').generated, 'lower(email) stored');
    assert.deepEqual(tableOf(s, 'kv').options, { 'without rowid': 'yes', strict: 'yes' });
  });

  test('constraints from the pragmas and the CREATE text; indexes with expression, predicate, DESC', async () => {
    const s = await dialect.inspectSchema(conn);
    assert.deepEqual(tableOf(s, 'users').constraints.map((c) => c.definition), ['CHECK (age >= 0)', 'PRIMARY KEY (id)', 'UNIQUE (email COLLATE NOCASE)']);
    assert.deepEqual(tableOf(s, 'posts').constraints.map((c) => c.definition), [
      'CHECK (length(title) > 0)',
      'FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE NO ACTION ON DELETE CASCADE',
      'PRIMARY KEY (id)',
      'UNIQUE (user_id, title)',
    ]);
    assert.deepEqual(tableOf(s, 'users').indexes, [{ name: 'users_lower_email_idx', columns: ['lower(email)'], unique: false, method: null, where: 'age IS NOT NULL', include: [], valid: true }]);
    assert.deepEqual(tableOf(s, 'posts').indexes.map((i) => [i.name, i.columns]), [['posts_title_idx', ['title DESC']]]);
  });

  test('views and triggers', async () => {
    const s = await dialect.inspectSchema(conn);
    assert.deepEqual(s.views, [{ schema: 'main', name: 'adults', materialized: false, definition: 'AS SELECT id, email FROM users WHERE age >= 18' }]);
    assert.deepEqual(tableOf(s, 'posts').triggers, [{ name: 'posts_trim', definition: 'AFTER INSERT ON posts BEGIN UPDATE posts SET title = trim(title) WHERE id = NEW.id; END' }]);
  });

  test('a table rebuilt the usual way (new table, copy, drop, rename) is the same table', async () => {
    const s0 = await dialect.inspectSchema(conn);
    await conn.exec('DROP VIEW adults');
    await conn.exec(USERS.replace('CREATE TABLE users', 'CREATE TABLE "users_new"').replace(/\n\s*/g, ' '));
    await conn.exec('INSERT INTO users_new (id, email, name, age) SELECT id, email, name, age FROM users');
    await conn.exec('DROP TABLE users');
    await conn.exec('ALTER TABLE users_new RENAME TO users');
    await conn.exec('CREATE INDEX users_lower_email_idx ON users (lower(email)) WHERE age IS NOT NULL');
    await conn.exec('CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18');
    assert.deepEqual(diffSchemas(s0, await dialect.inspectSchema(conn)), []);
  });

  test('a rebuild that loses a CHECK, a collation and an index shows each', async () => {
    const s0 = await dialect.inspectSchema(conn);
    await conn.exec('DROP VIEW adults');
    await conn.exec(`CREATE TABLE users_new (id INTEGER PRIMARY KEY AUTOINCREMENT, email VARCHAR(100) NOT NULL UNIQUE, name TEXT NOT NULL DEFAULT '', age INTEGER, email_lower TEXT GENERATED ALWAYS AS (lower(email)) STORED)`);
    await conn.exec('DROP TABLE users');
    await conn.exec('ALTER TABLE users_new RENAME TO users');
    await conn.exec('CREATE VIEW adults AS SELECT id, email FROM users WHERE age >= 18');
    assert.deepEqual(formatDifferences(diffSchemas(s0, await dialect.inspectSchema(conn)), AFTER_DOWN), [
      'table users: column email: collation nocase -> default',
      'table users: check (age >= 0): missing after down',
      'table users: unique (email COLLATE NOCASE): missing after down',
      'table users: unique (email): still present after down',
      'table users: index users_lower_email_idx: missing after down',
    ]);
  });
});

/** The MySQL/MariaDB inspector on the local MariaDB server: objects in, model out, differences. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { diffSchemas } from '../../src/schema/diff-schemas.js';
import { AFTER_DOWN, formatDifferences } from '../../src/schema/format-differences.js';
import type { Connection } from '../../src/dialect/driver.js';
import type { Dialect } from '../../src/dialect/dialect.js';
import { createTestDb, skipUnless, type TestDb } from '../helpers/databases.js';
import { columnOf, openSession, tableOf } from './inspect-helpers.js';

const STATEMENTS = [
  `CREATE TABLE users (
    id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    email VARCHAR(100) NOT NULL,
    name VARCHAR(100) NOT NULL DEFAULT '',
    role ENUM('member', 'admin') NOT NULL DEFAULT 'member',
    age INT NULL,
    bio TEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin,
    email_lower VARCHAR(100) AS (LOWER(email)) STORED,
    updated_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,
    UNIQUE KEY users_email_uq (email),
    CONSTRAINT users_age_ck CHECK (age >= 0)
  ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci`,
  `CREATE INDEX users_name_role_idx ON users (name(10), role DESC)`,
  `CREATE TABLE posts (
    id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
    user_id BIGINT NOT NULL,
    title VARCHAR(200) NOT NULL,
    CONSTRAINT posts_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
  ) ENGINE=InnoDB`,
  `CREATE VIEW admins AS SELECT id, email FROM users WHERE role = 'admin'`,
  `CREATE TRIGGER posts_trim BEFORE INSERT ON posts FOR EACH ROW SET NEW.title = TRIM(NEW.title)`,
  `CREATE FUNCTION add_ints(a INT, b INT) RETURNS INT DETERMINISTIC RETURN a + b`,
  `CREATE PROCEDURE touch_user(IN uid BIGINT) MODIFIES SQL DATA UPDATE users SET name = name WHERE id = uid`,
];

describe('MySQL/MariaDB inspector', await skipUnless('mysql'), () => {
  let db: TestDb;
  let conn: Connection;
  let dialect: Dialect;

  before(async () => {
    db = await createTestDb('mysql', 'gw_inspect');
    ({ conn, dialect } = await openSession(db.url));
    for (const sql of STATEMENTS) await conn.exec(sql);
  });

  after(async () => {
    await conn?.close();
    await db?.drop();
  });

  test('tables and columns: types, defaults, ON UPDATE, AUTO_INCREMENT, generated, collation', async () => {
    const s = await dialect.inspectSchema(conn);
    assert.equal(s.engine, 'mysql');
    assert.equal(s.defaultSchema, db.name);
    assert.deepEqual(s.tables.map((t) => t.name), ['posts', 'users']);
    const users = tableOf(s, 'users');
    assert.deepEqual(users.options, { engine: 'InnoDB', collation: 'utf8mb4_general_ci' });
    assert.equal(columnOf(users, 'id').identity, 'auto_increment');
    assert.equal(columnOf(users, 'id').nullable, false);
    assert.equal(columnOf(users, 'email').type, 'varchar(100)');
    assert.equal(columnOf(users, 'role').type, "enum('member','admin')");
    assert.equal(columnOf(users, 'role').default, "'member'");
    assert.equal(columnOf(users, 'age').default, null);
    assert.equal(columnOf(users, 'bio').collation, 'utf8mb4_bin');
    assert.equal(columnOf(users, 'name').collation, null);
    // MariaDB prints LOWER() as lcase().
    assert.match(columnOf(users, 'email_lower').generated ?? '', /^(lower|lcase)\(`email`\) stored$/);
    assert.equal(columnOf(users, 'updated_at').default, 'current_timestamp() on update current_timestamp()');
  });

  test('primary key, foreign key, check constraints; unique and prefix/DESC indexes', async () => {
    const s = await dialect.inspectSchema(conn);
    const users = tableOf(s, 'users');
    assert.deepEqual(users.constraints.map((c) => [c.name, c.kind, c.definition]), [
      ['PRIMARY', 'primary key', 'PRIMARY KEY (id)'],
      ['users_age_ck', 'check', 'CHECK (`age` >= 0)'],
    ]);
    assert.deepEqual(users.indexes.map((i) => [i.name, i.columns, i.unique, i.method]), [
      ['users_email_uq', ['email'], true, 'btree'],
      ['users_name_role_idx', ['name(10)', 'role DESC'], false, 'btree'],
    ]);
    const posts = tableOf(s, 'posts');
    assert.deepEqual(posts.constraints.find((c) => c.kind === 'foreign key'), {
      name: 'posts_user_fk',
      kind: 'foreign key',
      columns: ['user_id'],
      definition: 'FOREIGN KEY (user_id) REFERENCES users(id) ON UPDATE RESTRICT ON DELETE CASCADE',
      references: { schema: db.name, table: 'users', columns: ['id'], onUpdate: 'RESTRICT', onDelete: 'CASCADE' },
    });
    // MySQL made an index for the foreign key.
    assert.deepEqual(posts.indexes.map((i) => i.name), ['posts_user_fk']);
  });

  test('views without the database qualifier, triggers, functions and procedures', async () => {
    const s = await dialect.inspectSchema(conn);
    assert.equal(s.views.length, 1);
    assert.equal(s.views[0]!.name, 'admins');
    assert.ok(!s.views[0]!.definition.includes(db.name), s.views[0]!.definition);
    assert.match(s.views[0]!.definition, /from `users` where `users`\.`role` = 'admin'/i);
    assert.deepEqual(tableOf(s, 'posts').triggers, [{ name: 'posts_trim', definition: 'BEFORE INSERT FOR EACH ROW SET NEW.title = TRIM(NEW.title)' }]);
    // MariaDB shows display widths (int(11)), MySQL 8 does not.
    const routines = s.routines.map((r) => `${r.kind} ${r.name}(${r.arguments}) -> ${r.returns}`.replace(/int\(\d+\)/g, 'int'));
    assert.deepEqual(routines, ['function add_ints(a int, b int) -> int', 'procedure touch_user(IN uid bigint) -> null']);
    assert.equal(s.routines[0]!.definition, 'RETURN a + b');
    assert.match(s.routines[0]!.attributes, /^deterministic /);
  });

  test('dropping a foreign key leaves its index: the snapshot shows it', async () => {
    const s0 = await dialect.inspectSchema(conn);
    assert.deepEqual(diffSchemas(s0, await dialect.inspectSchema(conn)), []);
    await conn.exec('ALTER TABLE posts DROP FOREIGN KEY posts_user_fk');
    await conn.exec('ALTER TABLE users MODIFY email VARCHAR(200) NOT NULL');
    await conn.exec('DROP INDEX users_name_role_idx ON users');
    assert.deepEqual(formatDifferences(diffSchemas(s0, await dialect.inspectSchema(conn)), AFTER_DOWN), [
      'table posts: constraint posts_user_fk: missing after down',
      'table users: column email: type varchar(100) -> varchar(200)',
      'table users: index users_name_role_idx: missing after down',
    ]);
  });
});

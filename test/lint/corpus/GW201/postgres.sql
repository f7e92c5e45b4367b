-- case: unsafe rename a table in a pre migration
-- expect: GW201@3
ALTER TABLE users RENAME TO accounts;

-- case: unsafe rename a schema-qualified table
-- expect: GW201@7
ALTER TABLE IF EXISTS app.users RENAME TO accounts;

-- case: safe the same rename in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users RENAME TO accounts;

-- case: safe expand step: a view gives the new name while the old table stays
-- expect: none
CREATE VIEW accounts AS SELECT * FROM users;

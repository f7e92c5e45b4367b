-- case: unsafe rename a table
-- expect: GW201@3
ALTER TABLE users RENAME TO accounts;

-- case: unsafe rename with bracket-quoted names
-- expect: GW201@7
ALTER TABLE [users] RENAME TO [accounts];

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users RENAME TO accounts;

-- case: safe renaming a table created in the same migration
-- expect: none
CREATE TABLE tmp (id INTEGER);
ALTER TABLE tmp RENAME TO final_table;

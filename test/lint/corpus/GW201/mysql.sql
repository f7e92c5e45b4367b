-- case: unsafe RENAME TABLE
-- expect: GW201@3
RENAME TABLE users TO accounts;

-- case: unsafe ALTER TABLE ... RENAME TO
-- expect: GW201@7
ALTER TABLE users RENAME TO accounts;

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
RENAME TABLE users TO accounts;

-- case: safe renaming an index is not renaming a table
-- expect: none
ALTER TABLE users RENAME INDEX idx_a TO idx_b;

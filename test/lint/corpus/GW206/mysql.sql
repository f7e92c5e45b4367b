-- case: unsafe ALTER COLUMN ... DROP DEFAULT (read from tokens: node-sql-parser lacks it)
-- expect: GW206@3
ALTER TABLE users ALTER COLUMN status DROP DEFAULT;

-- case: unsafe without the COLUMN keyword, next to a parsed clause
-- expect: GW206@7
ALTER TABLE users ADD COLUMN note text, ALTER status DROP DEFAULT;

-- case: safe SET DEFAULT
-- expect: none
ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users ALTER COLUMN status DROP DEFAULT;

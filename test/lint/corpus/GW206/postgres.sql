-- case: unsafe drop a default in a pre migration
-- expect: GW206@3
ALTER TABLE users ALTER COLUMN status DROP DEFAULT;

-- case: unsafe among other subcommands
-- expect: GW206@7
ALTER TABLE users ALTER COLUMN note SET DEFAULT '', ALTER status DROP DEFAULT;

-- case: safe changing a default keeps old inserts working
-- expect: none
ALTER TABLE users ALTER COLUMN status SET DEFAULT 'active';

-- case: safe in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users ALTER COLUMN status DROP DEFAULT;

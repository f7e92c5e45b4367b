-- case: unsafe a type change with USING rewrites
-- migration: phase=post
-- expect: GW306@4
ALTER TABLE users ALTER COLUMN age TYPE bigint USING age::bigint;

-- case: unsafe int to bigint known from an earlier migration
-- migration: context
CREATE TABLE events (id int PRIMARY KEY, payload text);
-- migration: phase=post
-- expect: GW306@11
ALTER TABLE events ALTER COLUMN id SET DATA TYPE bigint;

-- case: safe binary-coercible: varchar(n) to a longer varchar, to text
-- migration: context
CREATE TABLE users (name varchar(50), bio varchar(200));
-- migration:
-- expect: none
ALTER TABLE users ALTER COLUMN name TYPE varchar(80), ALTER COLUMN bio TYPE text;

-- case: safe changing the type of a column of a new table
-- expect: none
CREATE TABLE t (a int);
ALTER TABLE t ALTER COLUMN a TYPE bigint;

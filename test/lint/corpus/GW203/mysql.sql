-- case: unsafe MODIFY with an unknown current type
-- expect: GW203@3 GW401@3
ALTER TABLE users MODIFY age bigint;

-- case: unsafe MODIFY to a narrower type known from an earlier migration
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, name varchar(100));
-- migration:
-- expect: GW203@10 GW401@10
ALTER TABLE users MODIFY COLUMN name varchar(20);

-- case: safe MODIFY keeping the known type (only a comment or position changes)
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, name varchar(100));
-- migration:
-- expect: none
ALTER TABLE users MODIFY name varchar(100) AFTER id;

-- case: safe in a post migration with ALGORITHM=INPLACE
-- migration: phase=post
-- expect: none
ALTER TABLE users MODIFY age bigint, ALGORITHM=INPLACE, LOCK=NONE;

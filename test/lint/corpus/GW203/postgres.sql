-- case: unsafe change a column type (old type unknown)
-- expect: GW203@3 GW306@3
ALTER TABLE users ALTER COLUMN age TYPE bigint;

-- case: unsafe narrowing a varchar known from an earlier migration
-- migration: context
CREATE TABLE users (id int, name varchar(100));
-- migration:
-- expect: GW203@10 GW306@10
ALTER TABLE users ALTER COLUMN name TYPE varchar(50);

-- case: safe widening a varchar known from an earlier migration
-- migration: context
CREATE TABLE users (id int, name varchar(50));
-- migration:
-- expect: none
ALTER TABLE users ALTER COLUMN name TYPE varchar(200);

-- case: safe varchar to text, and numeric precision increase
-- migration: context
CREATE TABLE prices (label varchar(20), amount numeric(10,2));
-- migration:
-- expect: none
ALTER TABLE prices ALTER COLUMN label TYPE text, ALTER COLUMN amount TYPE numeric(12,2);

-- case: unsafe MODIFY a known nullable column to NOT NULL in a post migration
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200));
-- migration: phase=post
-- expect: GW502@6
ALTER TABLE users MODIFY email varchar(200) NOT NULL, ALGORITHM=INPLACE;

-- case: unsafe CHANGE to NOT NULL
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200) DEFAULT NULL);
-- migration: phase=post
-- expect: GW502@13
ALTER TABLE users CHANGE COLUMN email email varchar(200) NOT NULL, ALGORITHM=INPLACE;

-- case: safe MySQL fills a new NOT NULL column with the type's implicit default
-- migration: phase=post
-- expect: none
ALTER TABLE users ADD COLUMN score int NOT NULL, ALGORITHM=INSTANT;

-- case: safe the column was NOT NULL already
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL);
-- migration: phase=post
-- expect: none
ALTER TABLE users MODIFY email varchar(200) NOT NULL, ALGORITHM=INPLACE;

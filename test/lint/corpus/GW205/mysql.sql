-- case: unsafe MODIFY a known nullable column to NOT NULL
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200));
-- migration:
-- expect: GW205@6 GW502@6
ALTER TABLE users MODIFY email varchar(200) NOT NULL, ALGORITHM=INPLACE;

-- case: unsafe CHANGE to NOT NULL
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NULL);
-- migration:
-- expect: GW205@13 GW502@13
ALTER TABLE users CHANGE email email varchar(200) NOT NULL, ALGORITHM=INPLACE;

-- case: safe the column was already NOT NULL
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL);
-- migration:
-- expect: none
ALTER TABLE users MODIFY email varchar(200) NOT NULL COMMENT 'login', ALGORITHM=INPLACE;

-- case: safe making a NOT NULL column nullable
-- migration: context
CREATE TABLE users (id int PRIMARY KEY, email varchar(200) NOT NULL);
-- migration:
-- expect: none
ALTER TABLE users MODIFY email varchar(200) NULL, ALGORITHM=INPLACE;

-- case: unsafe no down part while the folder has downs
-- options: folderHasDowns=true
-- expect: GW601@4
CREATE TABLE a (id int);

-- case: unsafe folder facts from the input: another migration has a down
-- migration: context
CREATE TABLE a (id int);
-- down
DROP TABLE a;
-- migration:
-- expect: GW601@13
ALTER TABLE a ADD COLUMN b int;

-- case: safe the migration has a down part
-- options: folderHasDowns=true
-- expect: none
CREATE TABLE a (id int);
-- down
DROP TABLE a;

-- case: safe no downs anywhere in the folder
-- expect: none
CREATE TABLE a (id int);

-- case: unsafe no down part while the folder has downs
-- options: folderHasDowns=true
-- expect: GW601@4
CREATE TABLE a (id int);

-- case: unsafe a code migration without a down, in a folder with downs
-- options: folderHasDowns=true
-- migration: code
-- expect: GW601@1

-- case: safe the migration has a down part
-- options: folderHasDowns=true
-- expect: none
CREATE TABLE a (id int);
-- down
DROP TABLE a;

-- case: safe no downs anywhere in the folder
-- expect: none
CREATE TABLE a (id int);

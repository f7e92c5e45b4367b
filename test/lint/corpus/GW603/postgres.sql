-- case: unsafe BEGIN and COMMIT around the statements
-- expect: GW603@3 GW603@5
BEGIN;
CREATE TABLE a (id int);
COMMIT;

-- case: unsafe START TRANSACTION and ROLLBACK in the down part
-- options: folderHasDowns=true
-- expect: GW603@13
CREATE TABLE a (id int);
-- down
DROP TABLE a;
START TRANSACTION ISOLATION LEVEL SERIALIZABLE;

-- case: safe savepoints inside Godwit's transaction are fine
-- expect: none
SAVEPOINT before_backfill;
UPDATE users SET plan = 'free' WHERE plan IS NULL;
RELEASE SAVEPOINT before_backfill;

-- case: safe transaction words inside a function body are not statements
-- expect: none
CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN PERFORM 1; END $$;

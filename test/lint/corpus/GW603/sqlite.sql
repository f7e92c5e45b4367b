-- case: unsafe BEGIN IMMEDIATE and COMMIT
-- expect: GW603@3 GW603@5
BEGIN IMMEDIATE TRANSACTION;
CREATE TABLE a (id INTEGER);
COMMIT;

-- case: unsafe END TRANSACTION
-- expect: GW603@9
END TRANSACTION;

-- case: safe a trigger body with BEGIN ... END
-- expect: none
CREATE TRIGGER t_touch AFTER UPDATE ON t BEGIN UPDATE t SET touched = 1 WHERE id = NEW.id; END;

-- case: safe savepoints
-- expect: none
SAVEPOINT s1;
ROLLBACK TO s1;
RELEASE s1;

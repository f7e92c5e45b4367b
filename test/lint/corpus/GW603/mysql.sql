-- case: unsafe START TRANSACTION and COMMIT
-- expect: GW603@3 GW603@5
START TRANSACTION;
INSERT INTO plans (name) VALUES ('free');
COMMIT;

-- case: unsafe BEGIN WORK and ROLLBACK
-- expect: GW603@9 GW603@10
BEGIN WORK;
ROLLBACK;

-- case: safe a stored procedure whose body has BEGIN ... END
-- expect: none
CREATE PROCEDURE p() BEGIN SELECT 1; END;

-- case: safe ROLLBACK TO SAVEPOINT is not ending the transaction
-- expect: none
SAVEPOINT s1;
ROLLBACK TO SAVEPOINT s1;

-- case: unsafe the migration turns lock_timeout off before an ACCESS EXCLUSIVE statement
-- expect: GW309@4
SET lock_timeout = 0;
ALTER TABLE users ADD COLUMN nickname text;

-- case: unsafe Godwit's default is disabled (--ddl-lock-timeout 0) and the migration sets none
-- options: ddlLockTimeoutMs=0
-- expect: GW309@9
ALTER TABLE users ADD COLUMN nickname text;

-- case: unsafe RESET returns to the server default (none)
-- expect: GW309@14
RESET lock_timeout;
LOCK TABLE users;

-- case: safe Godwit's default lock timeout protects the statement
-- expect: none
ALTER TABLE users ADD COLUMN nickname text;

-- case: safe the default is off but the migration sets its own timeout
-- options: ddlLockTimeoutMs=0
-- expect: none
SET lock_timeout = '3s';
ALTER TABLE users ADD COLUMN nickname text;
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN b int;

-- case: safe with no timeout, statements that take weaker locks or touch a new table
-- options: ddlLockTimeoutMs=0
-- expect: none
ALTER TABLE users VALIDATE CONSTRAINT users_email_check;
CREATE TABLE t (a int);
ALTER TABLE t ADD COLUMN b int;
LOCK TABLE users IN SHARE MODE;

-- case: unsafe SET NOT NULL without a CHECK (post, so only the locking findings)
-- migration: phase=post
-- expect: GW305@4 GW502@4
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: unsafe a NOT VALID check that was never validated does not help
-- migration: phase=post
-- expect: GW305@10 GW502@10
ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: safe the CHECK was validated by an earlier migration
-- migration: phase=post context
ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT email_nn;
-- migration: phase=post
-- expect: none
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: safe SET NOT NULL on a table created in the same migration
-- expect: none
CREATE TABLE t (a int);
ALTER TABLE t ALTER COLUMN a SET NOT NULL;

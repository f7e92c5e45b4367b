-- case: unsafe SET NOT NULL in a pre migration
-- expect: GW205@3 GW305@3 GW502@3
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: unsafe a PostgreSQL 18 NOT NULL constraint validated at once
-- expect: GW205@7 GW305@7 GW502@7
ALTER TABLE users ADD CONSTRAINT email_nn NOT NULL email;

-- case: safe after a validated CHECK, in a post migration
-- migration: phase=post
-- expect: none
ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;
ALTER TABLE users DROP CONSTRAINT email_nn;

-- case: safe DROP NOT NULL relaxes, it does not restrict
-- expect: none
ALTER TABLE users ALTER COLUMN email DROP NOT NULL;

-- case: unsafe SET NOT NULL in a post migration fails if NULLs exist
-- migration: phase=post
-- expect: GW305@4 GW502@4
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: unsafe NOT NULL column without default in a post migration
-- migration: phase=post
-- expect: GW502@9
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;

-- case: safe a validated CHECK proved there are no NULLs
-- migration: phase=post
-- expect: none
ALTER TABLE users ADD CONSTRAINT email_nn CHECK (email IS NOT NULL) NOT VALID;
ALTER TABLE users VALIDATE CONSTRAINT email_nn;
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: safe NOT NULL with a default
-- migration: phase=post
-- expect: none
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;

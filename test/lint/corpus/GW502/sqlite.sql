-- case: unsafe SQLite refuses ADD COLUMN NOT NULL without a default
-- migration: phase=post
-- expect: GW502@4
ALTER TABLE users ADD COLUMN tenant_id INTEGER NOT NULL;

-- case: unsafe a DEFAULT NULL is no default
-- migration: phase=post
-- expect: GW502@9
ALTER TABLE users ADD COLUMN tenant_id INTEGER NOT NULL DEFAULT NULL;

-- case: safe with a default
-- migration: phase=post
-- expect: none
ALTER TABLE users ADD COLUMN tenant_id INTEGER NOT NULL DEFAULT 0;

-- case: safe a generated column computes itself
-- migration: phase=post
-- expect: none
ALTER TABLE users ADD COLUMN email_lower TEXT NOT NULL GENERATED ALWAYS AS (lower(email)) VIRTUAL;

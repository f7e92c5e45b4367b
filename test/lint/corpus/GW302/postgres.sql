-- case: unsafe DROP INDEX without CONCURRENTLY
-- expect: GW302@3
DROP INDEX users_email_idx;

-- case: unsafe schema-qualified, IF EXISTS
-- expect: GW302@7
DROP INDEX IF EXISTS app.users_email_idx;

-- case: safe DROP INDEX CONCURRENTLY in a no-transaction migration
-- migration: transaction=false
-- expect: none
DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;

-- case: safe dropping an index created earlier in the same migration
-- expect: none
CREATE TABLE t (a int);
CREATE INDEX t_a_idx ON t (a);
DROP INDEX t_a_idx;

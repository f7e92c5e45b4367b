-- case: unsafe CREATE INDEX on an existing table without CONCURRENTLY
-- expect: GW301@3
CREATE INDEX users_email_idx ON users (email);

-- case: unsafe a table created by an earlier migration still counts as existing
-- migration: context
CREATE TABLE orders (id bigint, customer_id bigint);
-- migration:
-- expect: GW301@10
CREATE INDEX ON orders (customer_id);

-- case: unsafe ADD CONSTRAINT UNIQUE builds its index under an ACCESS EXCLUSIVE lock
-- expect: GW301@14 GW501@14
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);

-- case: safe CONCURRENTLY in a no-transaction migration
-- migration: transaction=false
-- expect: none
CREATE INDEX CONCURRENTLY IF NOT EXISTS users_email_idx ON users (email);

-- case: safe an index on a table created in the same migration
-- expect: none
CREATE TABLE invoices (id bigint PRIMARY KEY, customer_id bigint);
CREATE INDEX invoices_customer_idx ON invoices (customer_id);

-- case: safe a unique constraint on top of an index built concurrently
-- migration: transaction=false
-- expect: none
-- godwit:lint-ignore GW501 duplicates were removed by 0041_dedupe_emails
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);
-- migration:
-- expect: none
ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_key;

-- case: safe partitioned table: an index ON ONLY the parent reads no rows
-- expect: none
CREATE INDEX events_at_idx ON ONLY events (at);

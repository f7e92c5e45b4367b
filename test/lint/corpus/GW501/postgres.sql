-- case: unsafe a unique index built concurrently on existing data
-- migration: transaction=false
-- expect: GW501@4
CREATE UNIQUE INDEX CONCURRENTLY users_email_key ON users (email);

-- case: unsafe ADD PRIMARY KEY USING an existing index is fine, but a new primary key is not
-- expect: GW301@8 GW501@8
ALTER TABLE users ADD PRIMARY KEY (id);

-- case: safe a non-unique index
-- migration: transaction=false
-- expect: none
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);

-- case: safe a unique index on a table created in this migration
-- expect: none
CREATE TABLE emails (address text);
CREATE UNIQUE INDEX emails_address_key ON emails (address);

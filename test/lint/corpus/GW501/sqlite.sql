-- case: unsafe CREATE UNIQUE INDEX on an existing table
-- expect: GW501@3
CREATE UNIQUE INDEX users_email_key ON users (email);

-- case: unsafe IF NOT EXISTS and a schema-qualified index name
-- expect: GW501@7
CREATE UNIQUE INDEX IF NOT EXISTS main.users_email_key ON users (email COLLATE NOCASE);

-- case: safe a plain index
-- expect: none
CREATE INDEX users_email_idx ON users (email);

-- case: safe unique index on a table created in the same migration
-- expect: none
CREATE TABLE emails (address TEXT);
CREATE UNIQUE INDEX emails_address_key ON emails (address);

-- case: unsafe CREATE UNIQUE INDEX on an existing table
-- expect: GW501@3
CREATE UNIQUE INDEX users_email_key ON users (email);

-- case: unsafe ADD UNIQUE KEY
-- expect: GW501@7
ALTER TABLE users ADD UNIQUE KEY users_email_key (email);

-- case: safe a plain index
-- expect: none
CREATE INDEX users_email_idx ON users (email) ALGORITHM=INPLACE;

-- case: safe UNIQUE on a table being created
-- expect: none
CREATE TABLE emails (address varchar(200), UNIQUE KEY address_key (address));

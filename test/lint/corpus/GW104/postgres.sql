-- case: unsafe truncate an existing table
-- expect: GW104@3
TRUNCATE users;

-- case: unsafe DELETE without WHERE empties the table too
-- migration: phase=post
-- expect: GW104@8
DELETE FROM sessions;

-- case: safe DELETE with a WHERE clause
-- expect: none
DELETE FROM sessions WHERE expires_at < now() - interval '30 days';

-- case: safe truncate a table filled in this same migration
-- expect: none
CREATE TABLE staging (id int);
TRUNCATE staging;

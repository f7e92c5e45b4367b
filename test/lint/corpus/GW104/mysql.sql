-- case: unsafe truncate
-- expect: GW104@3
TRUNCATE TABLE users;

-- case: unsafe DELETE without WHERE
-- expect: GW104@7
DELETE FROM app.sessions;

-- case: safe DELETE with WHERE
-- expect: none
DELETE FROM sessions WHERE id < 100;

-- case: safe an UPDATE is not a delete
-- expect: none
UPDATE sessions SET expired = 1;

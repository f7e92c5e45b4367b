-- case: unsafe add a NOT NULL column without a default
-- expect: GW204@3 GW502@3
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;

-- case: unsafe a primary key column is NOT NULL too
-- expect: GW204@7 GW301@7 GW501@7 GW502@7
ALTER TABLE events ADD COLUMN event_key text PRIMARY KEY;

-- case: safe NOT NULL with a default
-- expect: none
ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;

-- case: safe nullable column, and NOT NULL on a new table
-- expect: none
ALTER TABLE users ADD COLUMN nickname text;
CREATE TABLE tags (id bigint GENERATED ALWAYS AS IDENTITY, name text NOT NULL);
ALTER TABLE tags ADD COLUMN slug text NOT NULL;

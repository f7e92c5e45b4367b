-- case: unsafe add a NOT NULL column without a default
-- expect: GW204@3 GW502@3
ALTER TABLE users ADD COLUMN tenant_id INTEGER NOT NULL;

-- case: unsafe without the COLUMN keyword
-- expect: GW204@7 GW502@7
ALTER TABLE users ADD tenant_id INTEGER NOT NULL CHECK (tenant_id > 0);

-- case: safe NOT NULL with a default
-- expect: none
ALTER TABLE users ADD COLUMN active INTEGER NOT NULL DEFAULT 1;

-- case: safe NOT NULL inside a string default is not a constraint
-- expect: none
ALTER TABLE users ADD COLUMN note TEXT DEFAULT 'NOT NULL';

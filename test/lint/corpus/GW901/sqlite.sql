-- case: unsafe an ALTER TABLE that is not SQLite's grammar
-- expect: GW901@3
ALTER TABLE users ALTER COLUMN email SET NOT NULL;

-- case: unsafe a DROP TABLE with trailing garbage
-- expect: GW901@7
DROP TABLE users CASCADE;

-- case: safe PRAGMA, views, triggers and inserts are not needed by any rule
-- expect: none
PRAGMA foreign_keys = OFF;
CREATE VIEW v AS SELECT 1;
INSERT INTO t VALUES (1);
PRAGMA foreign_keys = ON;

-- case: unsafe a syntax error: PostgreSQL's parser rejects it
-- expect: GW901@3
SELEC 1;

-- case: unsafe a psql meta-command is not SQL
-- expect: GW901@7
\set ON_ERROR_STOP on;

-- case: safe valid statements of every kind parse
-- expect: none
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
INSERT INTO settings (key, value) VALUES ('a', 'b') ON CONFLICT (key) DO NOTHING;
DO $$ BEGIN RAISE NOTICE 'hello'; END $$;

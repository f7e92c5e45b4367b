-- case: unsafe ADD COLUMN with a volatile default
-- expect: GW307@3
ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();

-- case: unsafe serial, identity and clock_timestamp()
-- expect: GW307@8 GW307@9 GW307@10
ALTER TABLE users
  ADD COLUMN seq bigserial,
  ADD COLUMN n bigint GENERATED ALWAYS AS IDENTITY,
  ADD COLUMN seen timestamptz DEFAULT clock_timestamp();

-- case: safe now() and current_timestamp are STABLE: no rewrite on PostgreSQL 11+
-- expect: none
ALTER TABLE users ADD COLUMN created_at timestamptz NOT NULL DEFAULT now(), ADD COLUMN updated_at timestamptz DEFAULT current_timestamp;

-- case: safe a constant default, and a volatile default on a new table
-- expect: none
ALTER TABLE users ADD COLUMN plan text NOT NULL DEFAULT 'free';
CREATE TABLE keys (id uuid PRIMARY KEY DEFAULT gen_random_uuid());
ALTER TABLE keys ADD COLUMN salt float8 DEFAULT random();

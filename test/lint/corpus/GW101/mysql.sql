-- case: unsafe DROP DATABASE is a schema drop on MySQL
-- expect: GW101@3
DROP DATABASE reporting;

-- case: unsafe DROP SCHEMA
-- migration: phase=post
-- expect: GW101@8
DROP SCHEMA IF EXISTS reporting;

-- case: safe creating a database and mentioning DROP in a string
-- expect: none
CREATE DATABASE IF NOT EXISTS reporting;

-- case: safe an insert that mentions drop database in a value
-- expect: none
INSERT INTO audit (note) VALUES ('DROP DATABASE reporting; -- not really');

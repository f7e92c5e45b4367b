-- case: unsafe drop schema in a pre migration
-- expect: GW101@3
DROP SCHEMA billing CASCADE;

-- case: unsafe drop schema in a post migration is still destructive
-- migration: phase=post
-- expect: GW101@8
DROP SCHEMA IF EXISTS billing;

-- case: safe the words in a string or comment are not a statement
-- expect: none
COMMENT ON TABLE invoices IS 'we will DROP SCHEMA billing later';
-- DROP SCHEMA billing;
SELECT 'DROP SCHEMA x' AS note;

-- case: safe acknowledged with a suppression and its reason
-- migration: phase=post
-- expect: none
-- godwit:lint-ignore GW101 schema emptied and unused since release 4.2
DROP SCHEMA legacy;

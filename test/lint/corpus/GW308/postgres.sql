-- case: unsafe VACUUM FULL
-- migration: transaction=false
-- expect: GW308@4
VACUUM FULL users;

-- case: unsafe CLUSTER
-- expect: GW308@8
CLUSTER users USING users_pkey;

-- case: safe plain VACUUM and ANALYZE
-- migration: transaction=false
-- expect: none
VACUUM (ANALYZE) users;
ANALYZE users;

-- case: safe VACUUM (FULL false)
-- migration: transaction=false
-- expect: none
VACUUM (FULL false, VERBOSE) users;

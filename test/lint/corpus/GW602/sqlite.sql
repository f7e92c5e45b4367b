-- case: unsafe an up part with no statement
-- expect: GW602@1

-- case: unsafe only comments
-- expect: GW602@1
-- CREATE TABLE a (id int);

-- case: safe a code migration has no SQL by design
-- migration: code
-- expect: none

-- case: safe one statement
-- expect: none
CREATE TABLE a (id int);

-- case: unsafe a suppression without a reason suppresses nothing
-- expect: GW102@4 GW902@3
-- godwit:lint-ignore GW102
DROP TABLE users;

-- case: unsafe a suppression without a code
-- expect: GW902@8
-- godwit:lint-ignore the table is empty
CREATE TABLE a (id int);

-- case: safe code and reason
-- expect: none
-- godwit:lint-ignore GW102 users moved to accounts in 0042, table empty since
DROP TABLE users;

-- case: safe several codes and a reason
-- expect: none
-- godwit:lint-ignore GW203,GW401 the table has 20 rows and no reader yet
ALTER TABLE users MODIFY age bigint;

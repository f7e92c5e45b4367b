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
-- godwit:lint-ignore GW204,GW502 the table is empty: the app only writes it from this release on
ALTER TABLE users ADD COLUMN tenant_id int NOT NULL;

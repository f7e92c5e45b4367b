-- case: unsafe two DDL statements in one migration, reported at the second
-- expect: GW402@4
CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY);

-- case: unsafe DDL mixed with data changes
-- expect: GW402@11
ALTER TABLE users ADD COLUMN plan varchar(20) DEFAULT 'free', ALGORITHM=INSTANT;
UPDATE users SET plan = 'pro' WHERE paid = 1;
INSERT INTO plans (name) VALUES ('pro');
CREATE INDEX users_plan_idx ON users (plan);

-- case: safe one ALTER TABLE with several changes
-- expect: none
ALTER TABLE users ADD COLUMN plan varchar(20) DEFAULT 'free', ADD INDEX users_plan_idx (plan);

-- case: safe one DDL statement and data changes
-- expect: none
INSERT INTO plans (name) VALUES ('free');
CREATE TABLE plan_limits (plan varchar(20) PRIMARY KEY);
UPDATE plans SET name = 'basic' WHERE name = 'free';

-- case: unsafe a suppression naming a code no rule has
-- expect: GW903@3
-- godwit:lint-ignore GW999 this code does not exist
CREATE TABLE a (id int);

-- case: unsafe a typo in the code leaves the finding in place
-- expect: GW102@9 GW903@8
-- godwit:lint-ignore GW120 meant GW102
DROP TABLE users;

-- case: safe the right code
-- expect: none
-- godwit:lint-ignore GW102 meant it
DROP TABLE users;

-- case: unsafe a suppression that matches nothing
-- expect: GW904@3
-- godwit:lint-ignore GW102 nothing is dropped here
CREATE TABLE a (id int);

-- case: unsafe a suppression placed before the wrong statement
-- options: rule.GW402=off
-- expect: GW102@11 GW904@9
-- godwit:lint-ignore GW102 old table
CREATE TABLE b (id int);
DROP TABLE old_things;

-- case: safe a suppression in a statement's comment block still targets the next statement
-- expect: none
-- godwit:lint-ignore GW102 old table, emptied in 0040

-- the comment above belongs to this statement
DROP TABLE old_things;

-- case: safe a suppression for a rule turned off is not reported as unused
-- options: rule.GW102=off
-- expect: none
-- godwit:lint-ignore GW102 old table
DROP TABLE old_things;

-- godwit:up
ALTER TABLE todos ADD COLUMN due_on DATE;
CREATE INDEX todos_due_on ON todos (due_on);

-- godwit:down
DROP INDEX todos_due_on;
ALTER TABLE todos DROP COLUMN due_on;

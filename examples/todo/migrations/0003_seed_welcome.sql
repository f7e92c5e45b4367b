-- godwit:up
INSERT INTO todos (id, title, done) VALUES (1, 'Try Godwit', FALSE);

-- godwit:down
DELETE FROM todos WHERE id = 1;

-- godwit:up
CREATE TABLE todos (
  id INTEGER PRIMARY KEY,
  title VARCHAR(200) NOT NULL,
  done BOOLEAN NOT NULL DEFAULT FALSE
);

-- godwit:down
DROP TABLE todos;

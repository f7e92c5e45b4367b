-- case: unsafe MODIFY with an unknown current type and no ALGORITHM (post, so only the copy)
-- migration: phase=post
-- expect: GW401@4
ALTER TABLE orders MODIFY amount decimal(12,2) NOT NULL;

-- case: unsafe ALGORITHM=COPY asks for the copy explicitly
-- migration: phase=post
-- expect: GW401@9
ALTER TABLE orders MODIFY amount decimal(12,2), ALGORITHM=COPY;

-- case: unsafe dropping the primary key without adding one
-- expect: GW401@13
ALTER TABLE orders DROP PRIMARY KEY;

-- case: unsafe CONVERT TO CHARACTER SET (read from tokens)
-- expect: GW401@17
ALTER TABLE orders CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;

-- case: safe ALGORITHM=INPLACE makes the server refuse rather than copy
-- migration: phase=post
-- expect: none
ALTER TABLE orders MODIFY amount decimal(12,2) NOT NULL, ALGORITHM=INPLACE, LOCK=NONE;

-- case: safe MariaDB ALGORITHM=NOCOPY, and replacing the primary key in one statement
-- migration: phase=post
-- expect: none
ALTER TABLE orders MODIFY amount decimal(12,2), ALGORITHM=NOCOPY;
-- migration: phase=post
-- expect: none
-- godwit:lint-ignore GW501 id was the primary key, so (id, region) is unique and not null too
ALTER TABLE orders DROP PRIMARY KEY, ADD PRIMARY KEY (id, region);

-- case: unsafe drop a column
-- expect: GW103@3
ALTER TABLE users DROP COLUMN legacy_name;

-- case: unsafe DROP COLUMN IF EXISTS (MariaDB; read from tokens when the parser lacks it)
-- migration: phase=post
-- expect: GW103@8
ALTER TABLE users DROP COLUMN IF EXISTS legacy_name, ALGORITHM=INPLACE;

-- case: safe dropping an index is not dropping a column
-- expect: none
ALTER TABLE users DROP INDEX idx_legacy;

-- case: safe acknowledged
-- migration: phase=post
-- expect: none
-- godwit:lint-ignore GW103 unused since 3.1, backed up in s3://backups/legacy
ALTER TABLE `users` DROP `legacy_name`;

-- case: unsafe add a NOT NULL column without a default
-- expect: GW204@3
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;

-- case: unsafe with an explicit DEFAULT NULL, which is no default
-- expect: GW204@7
ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT NULL;

-- case: safe NOT NULL with a default
-- expect: none
ALTER TABLE users ADD COLUMN active tinyint NOT NULL DEFAULT 1, ALGORITHM=INSTANT;

-- case: safe an AUTO_INCREMENT column fills itself
-- expect: none
ALTER TABLE users ADD COLUMN seq bigint NOT NULL AUTO_INCREMENT UNIQUE;

-- case: unsafe a MariaDB DROP TABLE ... WAIT the parser cannot read gives GW901, never a guessed GW102
-- expect: GW901@3
DROP TABLE old_orders WAIT 5;

-- case: unsafe a clause it cannot read: the other clauses are still analysed
-- migration: phase=post
-- expect: GW103@8 GW901@8
ALTER TABLE users DROP COLUMN legacy, PARTITION BY HASH(id) PARTITIONS 4;

-- case: safe statements no rule needs are skipped silently even when unparsable
-- expect: none
CREATE PROCEDURE p() BEGIN SELECT 1; END;
SET SESSION sql_mode = 'STRICT_ALL_TABLES';
INSERT INTO t (a) VALUES (1) ON DUPLICATE KEY UPDATE a = VALUES(a);

-- case: safe clauses the parser lacks but the token reader knows
-- expect: none
ALTER TABLE users ALTER COLUMN plan SET DEFAULT 'free', RENAME INDEX a TO b, ALGORITHM=INPLACE, LOCK=NONE;

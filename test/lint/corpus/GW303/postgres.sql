-- case: unsafe CREATE INDEX CONCURRENTLY in a transactional migration
-- expect: GW303@3
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);

-- case: unsafe DROP INDEX CONCURRENTLY in the down part of a transactional migration
-- options: folderHasDowns=true
-- expect: GW303@11
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
-- expect: GW303@8
-- down
DROP INDEX CONCURRENTLY users_email_idx;

-- case: unsafe REINDEX CONCURRENTLY and DETACH PARTITION CONCURRENTLY
-- expect: GW303@15 GW303@16
REINDEX INDEX CONCURRENTLY users_email_idx;
ALTER TABLE events DETACH PARTITION events_2020 CONCURRENTLY;

-- case: safe the same statements in a no-transaction migration
-- migration: transaction=false
-- expect: none
CREATE INDEX CONCURRENTLY users_email_idx ON users (email);
-- down
DROP INDEX CONCURRENTLY users_email_idx;

-- Taken before a batch's meetings are deduplicated, until the transaction ends: two batches of one
-- tenant submitted at once on two nodes would otherwise each miss the other's uncommitted meetings
-- and both be processed (paid twice). Tenants do not wait for each other. SQLite needs no lock (its
-- single write lock does this).
SELECT pg_advisory_xact_lock(hashtext('minutes-dedup:' || COALESCE(:tenant, '')))

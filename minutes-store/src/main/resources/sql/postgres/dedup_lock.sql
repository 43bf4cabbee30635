-- Taken before a batch's meetings are deduplicated, until the transaction ends: two batches of one
-- tenant submitted at once on two nodes would otherwise each miss the other's uncommitted meetings
-- and both be processed (paid twice). Keyed by the schema and the tenant: advisory locks are shared by
-- every schema of the database, and the stores of two schemas never deduplicate against each other,
-- so neither waits for the other (keyed by the tenant alone, a 100,000-meeting batch held up every
-- other schema's batches of the same tenant). Tenants do not wait for each other. SQLite needs no lock
-- (its single write lock does this).
SELECT pg_advisory_xact_lock(hashtext('minutes-dedup:' || current_schema() || ':' || COALESCE(:tenant, '')))

-- Serialises packs of one provider and model across every node: a transaction-scoped advisory lock on
-- the pair, held until commit, so two nodes never read the same ledger headroom and both reserve it.
-- (SQLite: the file's single write lock does it.) Different pairs pack in parallel.
SELECT pg_advisory_xact_lock(hashtext('minutes.provider_batch_ledger/' || CAST(:provider AS TEXT) || '/'
                                      || CAST(:model AS TEXT))) AS locked

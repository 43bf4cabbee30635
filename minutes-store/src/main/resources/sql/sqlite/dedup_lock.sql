-- Nothing to lock: the store runs a batch's insertion inside BEGIN IMMEDIATE, which holds the
-- database's single write lock, so two batches are never deduplicated at once (PostgreSQL takes an advisory lock: see postgres/).
SELECT 1

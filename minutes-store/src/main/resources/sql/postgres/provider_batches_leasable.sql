-- PostgreSQL: the rows stay locked until the lease is written; a row another node is leasing now is skipped (SQLite: BEGIN IMMEDIATE).
-- provider batches of one provider and model still to drive, whose node died (lease expired) or that
-- :owner already holds, or whose owner is known dead (:dead_owner, null: none)
SELECT id
FROM provider_batches
WHERE provider = :provider
  AND model = :model
  AND state IN ('intended', 'staged', 'created', 'ended')
  AND (lease_owner IS NULL OR lease_expires_at < :now OR lease_owner = :owner OR lease_owner = :dead_owner)
ORDER BY intended_at, id
LIMIT :limit
FOR UPDATE SKIP LOCKED

-- who drives this provider and model's provider batches that are not final (a node spots a dead local process among them)
SELECT DISTINCT lease_owner
FROM provider_batches
WHERE provider = :provider
  AND model = :model
  AND state IN ('intended', 'staged', 'created', 'ended')
  AND lease_owner IS NOT NULL

-- The enqueued-token ledger of one provider and model: what its provider batches reserve from the intent
-- until the provider ends them (states intended, staged, created)
SELECT COALESCE(SUM(enqueued_tokens), 0) AS tokens
FROM provider_batches
WHERE provider = :provider
  AND model = :model
  AND state IN ('intended', 'staged', 'created')

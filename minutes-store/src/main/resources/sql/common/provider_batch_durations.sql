-- How long this provider and model's latest provider batches took from create to end, newest first: the lane
-- planner takes their 95th percentile as the batch latency. Only batches that ran their course count
-- (completed, or expired at the window's end): one cancelled (at a deadline's cut-over, or by a user) or
-- refused ended early and would make batches look faster than they are.
SELECT created_at, ended_at
FROM provider_batches
WHERE provider = :provider
  AND model = :model
  AND created_at IS NOT NULL
  AND ended_at IS NOT NULL
  AND remote_status IN ('completed', 'expired')
ORDER BY ended_at DESC
LIMIT :limit

-- the meetings still waiting in a provider batch (lines not run) back to the queue of their lane, due now,
-- their attempt not counted (attempts_delete_open_by_provider_batch.sql deleted it first)
UPDATE meetings
SET state          = 'queued',
    not_before     = :now,
    provider_batch = NULL,
    attempt_count  = attempt_count - 1,
    updated_at     = :now
WHERE provider_batch = :provider_batch
  AND state = 'waiting'

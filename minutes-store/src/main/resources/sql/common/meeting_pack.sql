-- a queued meeting of the batch lane moves into provider batch :provider_batch, its attempt counted
-- (attempt_open_current.sql opens it); a meeting no longer queued for the lane is left alone
UPDATE meetings
SET state          = 'waiting',
    provider_batch = :provider_batch,
    attempt_count  = attempt_count + 1,
    not_before     = NULL,
    updated_at     = :now
WHERE id = :meeting_id
  AND state = 'queued'
  AND lane = 'batch'

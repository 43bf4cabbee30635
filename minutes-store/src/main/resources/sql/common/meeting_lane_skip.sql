-- a queued meeting of the batch lane that its batch's budget refused at the batch price: skipped with the
-- budget_exhausted reason before any call (no attempt counted), as the realtime lane skips one; a meeting no
-- longer queued for the lane is left alone
UPDATE meetings
SET state       = 'skipped',
    skip_reason = :skip_reason,
    not_before  = NULL,
    updated_at  = :now
WHERE id = :meeting_id
  AND state = 'queued'
  AND lane = 'batch'

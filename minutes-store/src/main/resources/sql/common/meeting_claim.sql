UPDATE meetings
SET state            = 'running',
    lease_owner      = :owner,
    lease_expires_at = :lease_expires_at,
    attempt_count    = attempt_count + 1,
    updated_at       = :now
WHERE id = :meeting_id
  AND state = 'queued'

-- a clean shutdown gives the meeting back without counting the attempt (its row is deleted too)
UPDATE meetings
SET state            = 'queued',
    not_before       = :now,
    attempt_count    = attempt_count - 1,
    lease_owner      = NULL,
    lease_expires_at = NULL,
    updated_at       = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner

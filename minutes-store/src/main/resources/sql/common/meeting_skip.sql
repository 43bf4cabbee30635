-- guarded by the lease: only the owner of the current attempt may finish it
UPDATE meetings
SET state            = 'skipped',
    skip_reason      = :skip_reason,
    lease_owner      = NULL,
    lease_expires_at = NULL,
    updated_at       = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner
  AND attempt_count = :attempt

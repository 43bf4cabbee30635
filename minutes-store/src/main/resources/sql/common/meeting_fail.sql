-- guarded by the lease: only the owner of the current attempt may finish it
UPDATE meetings
SET state                  = 'failed',
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = :failure_retry_after_ms,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner
  AND attempt_count = :attempt

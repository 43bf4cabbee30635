-- guarded by the lease: only the owner of the current attempt may finish it
UPDATE meetings
SET state                  = 'queued',
    not_before             = :not_before,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = :failure_retry_after_ms,
    -- a 429 uses none of the meeting's attempts; the first of a run of them is kept to bound the run
    attempt_base           = attempt_base + CASE WHEN :rate_limited THEN 1 ELSE 0 END,
    rate_limited_since     = CASE WHEN :rate_limited THEN COALESCE(rate_limited_since, :now) ELSE NULL END,
    leases_lost_in_a_row   = 0,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner
  AND attempt_count = :attempt

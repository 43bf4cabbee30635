-- guarded by the lease: only the owner of the current attempt may finish it
-- :lease_lost when the reaper took the lease back (the worker stopped, crashed or was cut off): not
-- the meeting's fault, so it uses none of the meeting's attempts (attempt_base follows attempt_count)
-- and is counted in leases_lost_in_a_row instead; the retry policy chose :not_before from that count.
UPDATE meetings
SET state                  = 'queued',
    not_before             = :not_before,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = :failure_retry_after_ms,
    -- a 429 uses none of the meeting's attempts, nor does a flex call refused for capacity (:free_attempt: the
    -- failure's cause uses none); the first of a run of 429s is kept to bound the run
    attempt_base           = attempt_base + CASE WHEN :free_attempt OR :lease_lost THEN 1 ELSE 0 END,
    rate_limited_since     = CASE WHEN :lease_lost THEN rate_limited_since
                                  WHEN :rate_limited THEN COALESCE(rate_limited_since, :now) ELSE NULL END,
    leases_lost_in_a_row   = CASE WHEN :lease_lost THEN leases_lost_in_a_row + 1 ELSE 0 END,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner
  AND attempt_count = :attempt

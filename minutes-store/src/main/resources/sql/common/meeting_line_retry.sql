-- a line errored, to be tried again (meeting_retry.sql's rules for a failure, without a lease): queued
-- again for its lane, due at :not_before; a rate-limited failure uses none of the meeting's attempts
UPDATE meetings
SET state                  = 'queued',
    not_before             = :not_before,
    provider_batch         = NULL,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = :failure_retry_after_ms,
    attempt_base           = attempt_base + CASE WHEN :rate_limited THEN 1 ELSE 0 END,
    rate_limited_since     = CASE WHEN :rate_limited THEN COALESCE(rate_limited_since, :now) ELSE NULL END,
    leases_lost_in_a_row   = 0,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'waiting'
  AND provider_batch = :provider_batch

-- A lost lease is not the meeting's fault: it uses none of the meeting's attempts (attempt_base
-- follows attempt_count) and is counted in leases_lost_in_a_row instead; the retry policy chose
-- :state (queued, or failed after too many in a row) and :not_before from that count.
UPDATE meetings
SET state                  = :state,
    not_before             = :not_before,
    attempt_base           = attempt_base + 1,
    leases_lost_in_a_row   = leases_lost_in_a_row + 1,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = NULL,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'

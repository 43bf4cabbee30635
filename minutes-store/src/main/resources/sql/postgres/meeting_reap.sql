-- back to the queue, or failed once the attempts are used up; the failure is the lost lease
UPDATE meetings
SET state                  = CASE WHEN attempt_count - attempt_base < :max_attempts THEN 'queued' ELSE 'failed' END,
    not_before             = CASE WHEN attempt_count - attempt_base < :max_attempts THEN :now ELSE not_before END,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = NULL,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'

-- back to the queue, or failed once the attempts are used up: the batch's own max_attempts when it
-- was submitted with one, else :max_attempts (the node's setting); the failure is the lost lease
UPDATE meetings
SET state                  = CASE WHEN attempt_count - attempt_base < COALESCE(
                                       (SELECT s.max_attempts FROM submissions s WHERE s.batch_id = meetings.batch_id),
                                       :max_attempts)
                                  THEN 'queued' ELSE 'failed' END,
    not_before             = CASE WHEN attempt_count - attempt_base < COALESCE(
                                       (SELECT s.max_attempts FROM submissions s WHERE s.batch_id = meetings.batch_id),
                                       :max_attempts)
                                  THEN :now ELSE not_before END,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = NULL,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'

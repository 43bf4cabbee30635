-- failure_* are null when the attempt succeeded
UPDATE attempts
SET finished_at            = :now,
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = :failure_retry_after_ms
WHERE meeting_id = :meeting_id
  AND number = :number
  AND finished_at IS NULL

-- a line errored for good
UPDATE meetings
SET state                  = 'failed',
    failure_kind           = :failure_kind,
    failure_message        = :failure_message,
    failure_retry_after_ms = :failure_retry_after_ms,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'waiting'
  AND provider_batch = :provider_batch

-- The failed meetings only (a retry asked for through the API); otherwise as meetings_requeue.sql.
-- Meetings that failed at ingest have no transcript nor recording: running them again cannot help.
UPDATE meetings
SET state            = 'queued',
    not_before       = :now,
    attempt_base     = attempt_count,
    leases_lost_in_a_row = 0,
    rate_limited_since = NULL,
    lease_owner      = NULL,
    lease_expires_at = NULL,
    updated_at       = :now
WHERE batch_id = :batch_id
  AND state = 'failed'
  AND (transcript_json IS NOT NULL OR blob_key IS NOT NULL)

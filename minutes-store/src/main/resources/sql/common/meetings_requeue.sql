-- Meetings that failed at ingest have no transcript nor recording: running them again cannot help.
-- attempt_count is kept so attempt numbers stay unique; attempt_base starts a fresh retry budget.
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
  AND state IN ('failed', 'cancelled')
  AND (transcript_json IS NOT NULL OR blob_key IS NOT NULL)

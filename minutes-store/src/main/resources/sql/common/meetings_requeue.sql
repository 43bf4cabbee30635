-- The failed meetings of a batch, and with :with_cancelled its cancelled ones too, queued again: the
-- API's retry takes only the failed ones; a user who runs the batch again takes both.
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
  AND (state = 'failed' OR (:with_cancelled AND state = 'cancelled'))
  AND (transcript_json IS NOT NULL OR blob_key IS NOT NULL)

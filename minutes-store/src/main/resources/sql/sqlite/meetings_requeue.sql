-- Meetings that failed at ingest have no transcript: running them again cannot help.
-- attempt_count is kept so attempt numbers stay unique; the engine allows more attempts on a rerun.
UPDATE meetings
SET state            = 'queued',
    not_before       = :now,
    lease_owner      = NULL,
    lease_expires_at = NULL,
    updated_at       = :now
WHERE batch_id = :batch_id
  AND state IN ('failed', 'cancelled')
  AND transcript_json IS NOT NULL

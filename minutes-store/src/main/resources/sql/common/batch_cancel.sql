-- queued, running and waiting meetings; a running meeting's worker then finds its lease gone and drops its
-- outcome, and a waiting meeting's line, read later from its provider batch, finds it cancelled and is dropped
UPDATE meetings
SET state            = 'cancelled',
    not_before       = NULL,
    lease_owner      = NULL,
    lease_expires_at = NULL,
    updated_at       = :now
WHERE batch_id = :batch_id
  AND state IN ('queued', 'running', 'waiting')

-- queued and running meetings; a running meeting's worker then finds its lease gone and drops its outcome
UPDATE meetings
SET state            = 'cancelled',
    not_before       = NULL,
    lease_owner      = NULL,
    lease_expires_at = NULL,
    updated_at       = :now
WHERE batch_id = :batch_id
  AND state IN ('queued', 'running')

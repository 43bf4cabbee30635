-- guarded by the lease: only the node driving the provider batch records what happened to it, and
-- extends its lease; a null parameter leaves its column as it was
UPDATE provider_batches
SET state            = :state,
    staged_ref       = COALESCE(:staged_ref, staged_ref),
    remote_id        = COALESCE(:remote_id, remote_id),
    total            = COALESCE(:total, total),
    succeeded        = COALESCE(:succeeded, succeeded),
    errored          = COALESCE(:errored, errored),
    not_run          = COALESCE(:not_run, not_run),
    remote_status    = COALESCE(:remote_status, remote_status),
    created_at       = COALESCE(:created_at, created_at),
    ended_at         = COALESCE(:ended_at, ended_at),
    failure          = COALESCE(:failure, failure),
    lease_expires_at = :lease_expires_at,
    updated_at       = :now
WHERE id = :id
  AND lease_owner = :owner

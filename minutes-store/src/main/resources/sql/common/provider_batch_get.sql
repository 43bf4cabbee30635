SELECT id, provider, model, state, staged_ref, remote_id, lines, enqueued_tokens, total, succeeded, errored, not_run,
       remote_status, failure, intended_at, created_at, ended_at, lease_owner, lease_expires_at
FROM provider_batches
WHERE id = :id

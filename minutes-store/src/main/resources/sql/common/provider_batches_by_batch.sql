-- The provider batches that hold meetings of batch :batch_id or answered them (a completed line keeps its
-- provider batch on its meeting; a line given back does not), oldest first: the batch's status shows their counts.
-- Columns as provider_batch_get.sql's.
SELECT id, provider, model, state, staged_ref, remote_id, lines, enqueued_tokens, total, succeeded, errored, not_run,
       remote_status, failure, intended_at, created_at, ended_at, lease_owner, lease_expires_at
FROM provider_batches
WHERE id IN (SELECT m.provider_batch FROM meetings m WHERE m.batch_id = :batch_id AND m.provider_batch IS NOT NULL)
ORDER BY intended_at, id

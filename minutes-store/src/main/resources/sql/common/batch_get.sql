SELECT id, run_key, provider, submitted_at, priority
FROM batches
WHERE id = :batch_id

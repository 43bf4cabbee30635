SELECT id, run_key, provider, submitted_at
FROM batches
WHERE id = :batch_id

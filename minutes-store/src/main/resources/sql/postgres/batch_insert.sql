INSERT INTO batches (id, run_key, provider, submitted_at, priority)
VALUES (:id, :run_key, :provider, :submitted_at, :priority)

INSERT INTO batches (id, run_key, provider, submitted_at)
VALUES (:id, :run_key, :provider, :submitted_at)

INSERT INTO batches (id, run_key, provider, submitted_at, priority, tier)
VALUES (:id, :run_key, :provider, :submitted_at, :priority, :tier)

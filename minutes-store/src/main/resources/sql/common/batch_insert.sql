INSERT INTO batches (id, run_key, provider, submitted_at, priority, tier, budget_usd, analyzer)
VALUES (:id, :run_key, :provider, :submitted_at, :priority, :tier, :budget_usd, :analyzer)

INSERT INTO batches (id, run_key, provider, submitted_at, priority, tier, budget_usd)
VALUES (:id, :run_key, :provider, :submitted_at, :priority, :tier, :budget_usd)

UPDATE batches SET budget_usd = :budget_usd WHERE id = :batch_id

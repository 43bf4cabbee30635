INSERT INTO submissions (batch_id, tenant, on_duplicate, priority, max_attempts, allow_over_budget, lane)
VALUES (:batch_id, :tenant, :on_duplicate, :priority, :max_attempts, :allow_over_budget, :lane)

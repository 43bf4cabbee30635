INSERT INTO submissions (batch_id, tenant, on_duplicate, priority, max_attempts)
VALUES (:batch_id, :tenant, :on_duplicate, :priority, :max_attempts)

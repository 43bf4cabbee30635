SELECT tenant, on_duplicate, priority, max_attempts
FROM submissions
WHERE batch_id = :batch_id

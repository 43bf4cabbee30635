-- the budget itself is the batch's (budget_usd), which the engine holds every batch to
SELECT s.tenant, s.on_duplicate, s.priority, s.max_attempts, s.allow_over_budget, b.budget_usd
FROM submissions s
JOIN batches b ON b.id = s.batch_id
WHERE s.batch_id = :batch_id

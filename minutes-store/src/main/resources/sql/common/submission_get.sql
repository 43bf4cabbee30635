-- the budget itself is the batch's (budget_usd), which the engine holds every batch to; the language and template
-- asked for are kept on each of its meetings (V016, the same on all): its first meeting's say them
SELECT s.tenant, s.on_duplicate, s.priority, s.max_attempts, s.allow_over_budget, s.lane, b.budget_usd,
       f.language, f.template
FROM submissions s
JOIN batches b ON b.id = s.batch_id
LEFT JOIN meetings f ON f.batch_id = s.batch_id AND f.idx = 0
WHERE s.batch_id = :batch_id

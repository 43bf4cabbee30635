-- ids are time-sortable, so they break a tie between batches submitted in the same millisecond
SELECT id, run_key, provider, submitted_at, priority
FROM batches
WHERE run_key = :run_key
ORDER BY submitted_at DESC, id DESC
LIMIT 1

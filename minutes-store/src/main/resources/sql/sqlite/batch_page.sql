-- newest first: batch ids sort by their creation time
-- SQLite infers a parameter's type from its value, so :tenant and :before need none of PostgreSQL's casts.
SELECT b.id, b.run_key, b.provider, b.submitted_at, b.priority
FROM batches b
LEFT JOIN submissions s ON s.batch_id = b.id
WHERE (:tenant IS NULL OR s.tenant = :tenant)
  AND (:before IS NULL OR b.id < :before)
ORDER BY b.id DESC
LIMIT :limit

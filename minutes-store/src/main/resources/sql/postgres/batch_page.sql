-- newest first: batch ids sort by their creation time (COLLATE "C")
-- PostgreSQL: a parameter compared only with IS NULL has no type of its own, hence the casts.
SELECT b.id, b.run_key, b.provider, b.submitted_at, b.priority
FROM batches b
LEFT JOIN submissions s ON s.batch_id = b.id
WHERE (CAST(:tenant AS TEXT) IS NULL OR s.tenant = :tenant)
  AND (CAST(:before AS TEXT) IS NULL OR b.id < :before)
ORDER BY b.id DESC
LIMIT :limit

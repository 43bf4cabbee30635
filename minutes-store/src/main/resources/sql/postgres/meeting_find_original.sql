-- The meeting a new one duplicates, if any: the newest meeting to be processed or already processed
-- (not itself a duplicate, not replaced) with the same content hash, or the same title in a batch of
-- the same tier. The batch being created is included: its earlier meetings are already inserted.
SELECT m.id, m.batch_id, m.source, m.state
FROM meetings m
JOIN batches b ON b.id = m.batch_id
WHERE m.duplicate_of IS NULL
  AND m.replaced_by IS NULL
  AND m.state IN ('queued', 'running', 'completed')
  AND (m.content_hash = :content_hash OR (m.title = :title AND b.tier = :tier))
ORDER BY m.created_at DESC, m.idx DESC
LIMIT 1

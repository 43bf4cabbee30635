-- The meeting a new one duplicates, if any: the newest meeting to be processed or already processed
-- (not itself a duplicate, not replaced) with the same content hash, or the same title in the same
-- tier, among the batches of the same tenant (a batch without a submission, as the CLI's, has none;
-- those without a tenant share one scope), answered by the same analyzer (provider, model, analysis
-- version, redaction: minutes made by another are not the minutes asked for; NULL, a batch stored
-- before analyzers were recorded, matches only NULL). The batch being created is included: its
-- submission and earlier meetings are already inserted.
-- SQLite's IS compares NULLs as equal (PostgreSQL: IS NOT DISTINCT FROM).
SELECT m.id, m.batch_id, m.source, m.state
FROM meetings m
JOIN batches b ON b.id = m.batch_id
LEFT JOIN submissions s ON s.batch_id = m.batch_id
WHERE m.duplicate_of IS NULL
  AND m.replaced_by IS NULL
  AND m.state IN ('queued', 'running', 'waiting', 'completed')
  AND (m.content_hash = :content_hash OR (m.title = :title AND m.tier = :tier))
  AND s.tenant IS :tenant
  AND b.analyzer IS :analyzer
ORDER BY m.created_at DESC, m.idx DESC
LIMIT 1

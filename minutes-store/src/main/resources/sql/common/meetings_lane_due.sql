-- Queued meetings planned for a provider batch and due now, older batches first, each in input order:
-- what the batch lane offers its next pack (provider_batch_pack reads none of it; it only moves the
-- meetings that are still queued for the lane when it runs). Columns as meetings_claimable.sql's.
SELECT m.id, m.batch_id, m.idx, m.source, m.title, m.transcript_json, m.attempt_count, m.attempt_base,
       m.blob_key, m.media_type,
       CASE WHEN m.tier = 'sensitive' OR b.tier = 'sensitive' THEN 'sensitive' ELSE 'ordinary' END AS tier,
       m.max_attempts,
       m.language, m.template, -- its batch's options.language and options.template (V016); null: the node's settings
       m.meeting_date, -- the day it took place when given or read from its file's metadata (V018)
       CASE WHEN b.budget_usd IS NULL THEN 0 ELSE 1 END AS budgeted,
       m.lane,
       (SELECT s.tenant FROM submissions s WHERE s.batch_id = m.batch_id) AS tenant
FROM meetings m
JOIN batches b ON b.id = m.batch_id
WHERE m.state = 'queued'
  AND m.lane = 'batch'
  AND m.not_before <= :now
ORDER BY b.submitted_at, m.batch_id, m.idx
LIMIT :limit

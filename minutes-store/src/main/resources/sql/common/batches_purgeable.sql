-- Retention: batches with no meeting left to process (none queued, running, or waiting in a provider batch) whose last meeting finished (its last update)
-- before :finished_before; a batch without meetings counts from its submission.
SELECT b.id
FROM batches b
WHERE NOT EXISTS (SELECT 1 FROM meetings m WHERE m.batch_id = b.id AND m.state IN ('queued', 'running', 'waiting'))
  AND COALESCE((SELECT MAX(m.updated_at) FROM meetings m WHERE m.batch_id = b.id), b.submitted_at) < :finished_before
ORDER BY b.submitted_at

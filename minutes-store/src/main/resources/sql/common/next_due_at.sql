SELECT MIN(not_before) AS next_due_at
FROM meetings
WHERE state = 'queued'

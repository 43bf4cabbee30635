SELECT MIN(not_before) AS next_due_at
FROM meetings
WHERE state = 'queued'
  AND lane IN ('realtime', 'flex') -- meetings planned for a provider batch are packed by the lane, not claimed

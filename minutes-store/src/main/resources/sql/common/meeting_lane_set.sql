-- a queued meeting planned for another lane (the batch lane gives back what it cannot send)
UPDATE meetings
SET lane       = :lane,
    updated_at = :now
WHERE id = :meeting_id
  AND state = 'queued'

-- what a batch is called in lists: its first meeting (one row of the (batch_id, idx) index)
SELECT COALESCE(title, source) AS title
FROM meetings
WHERE batch_id = :batch_id
  AND idx = 0

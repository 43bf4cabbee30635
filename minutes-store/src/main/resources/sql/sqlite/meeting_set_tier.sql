UPDATE meetings
SET tier = :tier
WHERE batch_id = :batch_id
  AND idx = :idx

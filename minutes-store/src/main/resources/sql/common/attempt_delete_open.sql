-- a running meeting has exactly one open attempt: the one being given back
DELETE FROM attempts
WHERE meeting_id = :meeting_id
  AND finished_at IS NULL

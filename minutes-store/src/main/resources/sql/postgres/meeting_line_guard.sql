-- the attempt of a meeting still waiting in this provider batch (none: its line was read already, or the
-- batch was cancelled). PostgreSQL: the row stays locked until the finish is written, so two nodes reading
-- the same line finish it once (SQLite: BEGIN IMMEDIATE).
SELECT attempt_count
FROM meetings
WHERE id = :meeting_id
  AND state = 'waiting'
  AND provider_batch = :provider_batch
FOR UPDATE

-- the attempt of a meeting still waiting in this provider batch (none: its line was read already, or the
-- batch was cancelled). SQLite: BEGIN IMMEDIATE holds the file until the finish is written (PostgreSQL: FOR UPDATE).
SELECT attempt_count
FROM meetings
WHERE id = :meeting_id
  AND state = 'waiting'
  AND provider_batch = :provider_batch

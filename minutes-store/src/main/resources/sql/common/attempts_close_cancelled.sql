-- the open attempts of meetings batch_cancel.sql just cancelled
UPDATE attempts
SET finished_at     = :now,
    failure_kind    = 'permanent',
    failure_message = 'cancelled'
WHERE finished_at IS NULL
  AND meeting_id IN (SELECT id FROM meetings WHERE batch_id = :batch_id AND state = 'cancelled')

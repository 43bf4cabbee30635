-- on_duplicate=replace: the old meeting's result gives way to the new meeting's. One that has not
-- started yet is skipped instead of being processed for nothing.
UPDATE meetings
SET replaced_by = :replaced_by,
    state       = CASE WHEN state = 'queued' THEN 'skipped' ELSE state END,
    skip_reason = CASE WHEN state = 'queued' THEN :skip_reason ELSE skip_reason END,
    not_before  = CASE WHEN state = 'queued' THEN NULL ELSE not_before END,
    updated_at  = :now
WHERE id = :meeting_id

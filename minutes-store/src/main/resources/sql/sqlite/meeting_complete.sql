-- guarded by the lease: only the owner of the current attempt may finish it
-- SQLite only: the store closes the attempt with attempt_close.sql in the same transaction. PostgreSQL
-- does both in one statement (postgres/meeting_complete_closing_attempt.sql); SQLite has no
-- data-modifying WITH and one writer at a time, so two statements cost it nothing.
UPDATE meetings
SET state                  = 'completed',
    analysis_json          = :analysis_json,
    input_tokens           = :input_tokens,
    output_tokens          = :output_tokens,
    cost_usd               = :cost_usd + COALESCE(transcription_cost_usd, 0.0),  -- analysis + transcription
    -- the lane whose calls answered (null: as stored); a flex meeting sent realtime is realtime from now on
    lane                   = COALESCE(:lane, lane),
    ran_lane               = :lane,
    -- what it would have cost at the realtime list price (null: the same as cost_usd)
    list_cost_usd          = :list_cost_usd + COALESCE(transcription_cost_usd, 0.0),
    completed_at           = :now,
    failure_kind           = NULL,
    failure_message        = NULL,
    failure_retry_after_ms = NULL,
    lease_owner            = NULL,
    lease_expires_at       = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner
  AND attempt_count = :attempt

-- PostgreSQL only: meeting_complete.sql and attempt_close.sql in one statement (a data-modifying WITH),
-- which the store runs in auto-commit. The trigger of V010 locks the batch's count rows from the UPDATE
-- of meetings until the commit; as two statements and a COMMIT those rows stayed locked over three
-- round trips, and every completion of the batch waited its turn for them (SQLite has one writer at a
-- time anyway, and no data-modifying WITH). Returns 1 when the meeting was completed, 0 when the lease
-- guard refused it.
WITH completed AS (
    UPDATE meetings
    SET state                  = 'completed',
        analysis_json          = :analysis_json,
        input_tokens           = :input_tokens,
        output_tokens          = :output_tokens,
        cost_usd               = :cost_usd + COALESCE(transcription_cost_usd, 0.0),  -- analysis + transcription
        -- as sqlite/meeting_complete.sql; the casts type a null parameter
        lane                   = COALESCE(CAST(:lane AS TEXT), lane),
        ran_lane               = CAST(:lane AS TEXT),
        list_cost_usd          = CAST(:list_cost_usd AS DOUBLE PRECISION) + COALESCE(transcription_cost_usd, 0.0),
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
    RETURNING id
),
closed AS (
    UPDATE attempts
    SET finished_at            = :now,
        failure_kind           = NULL,
        failure_message        = NULL,
        failure_retry_after_ms = NULL
    WHERE meeting_id IN (SELECT id FROM completed)
      AND number = :attempt
      AND finished_at IS NULL
)
SELECT COUNT(*) AS completed FROM completed

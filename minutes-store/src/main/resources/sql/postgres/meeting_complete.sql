-- guarded by the lease: only the owner of the current attempt may finish it
UPDATE meetings
SET state                  = 'completed',
    analysis_json          = :analysis_json,
    input_tokens           = :input_tokens,
    output_tokens          = :output_tokens,
    cost_usd               = :cost_usd + COALESCE(transcription_cost_usd, 0.0),  -- analysis + transcription
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

-- a line answered: guarded by the meeting still waiting in this provider batch (a line read twice
-- completes it once). The provider batch stays on the row: it says which one answered it.
UPDATE meetings
SET state                  = 'completed',
    analysis_json          = :analysis_json,
    input_tokens           = :input_tokens,
    output_tokens          = :output_tokens,
    cost_usd               = :cost_usd,
    list_cost_usd          = :list_cost_usd,
    ran_lane               = 'batch',
    completed_at           = :now,
    failure_kind           = NULL,
    failure_message        = NULL,
    failure_retry_after_ms = NULL,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'waiting'
  AND provider_batch = :provider_batch

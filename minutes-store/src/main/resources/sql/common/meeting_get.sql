-- A duplicate (duplicate_of set) shows the result of the meeting it points to, as in meetings_list.sql.
SELECT m.id, m.batch_id, m.idx, m.source, m.title, m.content_hash, m.state, m.attempt_count, m.not_before,
       m.skip_reason, m.failure_kind, m.failure_message, m.failure_retry_after_ms,
       COALESCE(m.analysis_json, o.analysis_json) AS analysis_json,
       m.input_tokens, m.output_tokens, m.cost_usd, m.completed_at, m.blob_key, m.media_type, m.audio_seconds,
       m.transcription_cost_usd, m.transcript_json, m.tier, m.duplicate_of, m.replaced_by, m.lane, m.ran_lane, m.list_cost_usd, m.meeting_date
FROM meetings m
LEFT JOIN meetings o ON o.id = m.duplicate_of
WHERE m.id = :meeting_id

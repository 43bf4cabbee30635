-- meetings_list.sql without the analyses (NULL): what a status view shows, read often while a batch runs
SELECT id, batch_id, idx, source, title, content_hash, state, attempt_count, not_before, skip_reason,
       failure_kind, failure_message, failure_retry_after_ms, NULL AS analysis_json,
       input_tokens, output_tokens, cost_usd, completed_at, blob_key, media_type, audio_seconds,
       transcription_cost_usd, duplicate_of, replaced_by, lane, ran_lane, list_cost_usd, meeting_date
FROM meetings
WHERE batch_id = :batch_id
ORDER BY idx

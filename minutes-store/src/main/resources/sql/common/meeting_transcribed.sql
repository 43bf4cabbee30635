-- the transcription checkpoint of an audio meeting, guarded by the lease; the meeting stays running
UPDATE meetings
SET transcript_json        = :transcript_json,
    audio_seconds          = :audio_seconds,
    transcription_cost_usd = :transcription_cost_usd,
    cost_usd               = :transcription_cost_usd,
    updated_at             = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner
  AND attempt_count = :attempt
  AND blob_key IS NOT NULL

SELECT meeting_id, number, started_at, finished_at, failure_kind, failure_message, failure_retry_after_ms
FROM attempts
WHERE meeting_id = :meeting_id
ORDER BY number

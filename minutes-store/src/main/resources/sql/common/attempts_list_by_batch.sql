SELECT a.meeting_id, a.number, a.started_at, a.finished_at,
       a.failure_kind, a.failure_message, a.failure_retry_after_ms
FROM attempts a
JOIN meetings m ON m.id = a.meeting_id
WHERE m.batch_id = :batch_id
ORDER BY m.idx, a.number

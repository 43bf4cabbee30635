-- the attempts of the meetings meetings_page.sql returns for the same parameters, in the same order
SELECT a.meeting_id, a.number, a.started_at, a.finished_at,
       a.failure_kind, a.failure_message, a.failure_retry_after_ms
FROM (SELECT id, idx
      FROM meetings
      WHERE batch_id = :batch_id
        AND idx > :after_index
      ORDER BY idx
      LIMIT :limit) m
JOIN attempts a ON a.meeting_id = m.id
ORDER BY m.idx, a.number

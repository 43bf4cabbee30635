SELECT rate_limited_since
FROM meetings
WHERE id = :meeting_id

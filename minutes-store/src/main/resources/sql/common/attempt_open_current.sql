-- opens the meeting's attempt numbered as its attempt_count now (just counted by meeting_pack.sql)
INSERT INTO attempts (meeting_id, number, started_at)
SELECT id, attempt_count, :now
FROM meetings
WHERE id = :meeting_id

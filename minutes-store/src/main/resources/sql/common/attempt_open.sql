INSERT INTO attempts (meeting_id, number, started_at)
VALUES (:meeting_id, :number, :now)

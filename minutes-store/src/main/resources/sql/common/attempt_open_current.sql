-- opens the meeting's attempt numbered as its attempt_count now (just counted by meeting_pack.sql), holding
-- :reserved_usd of its batch's budget: the most its line may cost at the batch price (0 when it has no budget)
INSERT INTO attempts (meeting_id, number, started_at, reserved_usd)
SELECT id, attempt_count, :now, :reserved_usd
FROM meetings
WHERE id = :meeting_id

-- what the open attempt holds of its batch's budget now (it replaces what it held before); nothing
-- when the attempt was finished meanwhile (its lease was lost)
UPDATE attempts
SET reserved_usd = :usd
WHERE meeting_id = :meeting_id
  AND number = :attempt
  AND finished_at IS NULL

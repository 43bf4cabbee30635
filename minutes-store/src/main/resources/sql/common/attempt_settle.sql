-- the call the attempt reserved for is paid (its cost is on the meeting now): it holds nothing more
UPDATE attempts
SET reserved_usd = 0
WHERE meeting_id = :meeting_id
  AND number = :attempt

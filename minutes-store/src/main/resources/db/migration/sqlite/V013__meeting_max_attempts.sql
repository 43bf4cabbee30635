-- A meeting's own retry budget (its batch's options.max_attempts of the HTTP API; null: the node's
-- max-attempts), kept on its row (issue 16 section 1): a claim and a reap read it from the meeting
-- they already hold instead of looking up the batch's submission.
ALTER TABLE meetings ADD COLUMN max_attempts INTEGER;

UPDATE meetings
SET max_attempts = (SELECT s.max_attempts FROM submissions s WHERE s.batch_id = meetings.batch_id)
WHERE batch_id IN (SELECT batch_id FROM submissions WHERE max_attempts IS NOT NULL);

-- Lost leases and 429s no longer use a meeting's attempts (issue 14 section 5, issue 19).
-- How many attempts in a row ended with the lease lost (the worker crashed or was killed while
-- holding the meeting): bounded on its own, so a meeting that kills its worker every time still ends.
-- Reset when an attempt ends with an outcome and when the batch is run again.
ALTER TABLE meetings ADD COLUMN leases_lost_in_a_row INTEGER NOT NULL DEFAULT 0;
-- When the provider's first 429 of a run of them without a break refused this meeting (epoch
-- millis); null when it is not being refused. Bounds how long rate limits may keep it queued.
ALTER TABLE meetings ADD COLUMN rate_limited_since INTEGER;

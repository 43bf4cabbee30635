-- The day a meeting took place when its submitter gave it (the HTTP API's meetings[].date) or its file's metadata
-- carries it (Minutes' transcript JSON "date"), as an ISO date (2026-11-16): due dates said as "by Friday" are
-- resolved from it (issue 18). Null: not given; a date in the meeting's file name or title is still read then.
-- TEXT on both backends, so the same ISO string is written and read back without a cast.
ALTER TABLE meetings ADD COLUMN meeting_date TEXT;

-- Same as db/migration/sqlite/V003__attempt_base.sql.
-- Attempts made before the meeting was last queued again by a rerun of its batch. Attempt numbers
-- keep counting up (they stay unique), while the retry budget counts from here.
ALTER TABLE meetings ADD COLUMN attempt_base INTEGER NOT NULL DEFAULT 0;

-- Same as db/migration/sqlite/V011__lost_leases_and_rate_limits.sql, with BIGINT for epoch millis.
-- Lost leases and 429s no longer use a meeting's attempts (issue 14 section 5, issue 19).
ALTER TABLE meetings ADD COLUMN leases_lost_in_a_row INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meetings ADD COLUMN rate_limited_since BIGINT;

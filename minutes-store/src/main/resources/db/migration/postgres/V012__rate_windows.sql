-- Same as db/migration/sqlite/V012__rate_windows.sql, with BIGINT for epoch millis.
CREATE TABLE rate_windows (
    provider     TEXT   NOT NULL PRIMARY KEY,
    enforced_per TEXT   NOT NULL CHECK (enforced_per IN ('second')),
    learned_at   BIGINT NOT NULL
);

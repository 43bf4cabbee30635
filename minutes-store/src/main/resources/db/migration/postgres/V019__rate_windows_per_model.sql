-- Same as db/migration/sqlite/V019__rate_windows_per_model.sql, with BIGINT for epoch millis.
DROP TABLE rate_windows;
CREATE TABLE rate_windows (
    provider     TEXT   NOT NULL,
    model        TEXT   NOT NULL,
    enforced_per TEXT   NOT NULL CHECK (enforced_per IN ('second')),
    learned_at   BIGINT NOT NULL,
    PRIMARY KEY (provider, model)
);

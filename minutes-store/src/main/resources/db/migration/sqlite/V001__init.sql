-- Minutes store schema, SQLite flavour. PostgreSQL gets the same version number under
-- db/migration/postgres. Instants are epoch milliseconds (INTEGER): SQLite has no timestamp type,
-- and integers compare and index exactly.

CREATE TABLE batches (
    id           TEXT    PRIMARY KEY,          -- "batch_" + time-sortable random
    run_key      TEXT,                          -- the same job run again resumes this batch
    provider     TEXT,
    submitted_at INTEGER NOT NULL
);

CREATE INDEX batches_by_run_key ON batches (run_key, submitted_at);

CREATE TABLE meetings (
    id                     TEXT    PRIMARY KEY,  -- "mtg_" + time-sortable random
    batch_id               TEXT    NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    idx                    INTEGER NOT NULL,     -- position in the batch's input order
    source                 TEXT    NOT NULL,
    title                  TEXT,
    content_hash           TEXT,
    state                  TEXT    NOT NULL
        CHECK (state IN ('queued', 'running', 'completed', 'failed', 'skipped', 'cancelled')),
    attempt_count          INTEGER NOT NULL DEFAULT 0,  -- number of the latest attempt; attempt numbers stay unique
    not_before             INTEGER,              -- a queued meeting is due once not_before <= now
    lease_owner            TEXT,                 -- set while running
    lease_expires_at       INTEGER,              -- set while running
    transcript_json        TEXT,                 -- null for meetings that never got past ingest
    skip_reason            TEXT,
    failure_kind           TEXT CHECK (failure_kind IN ('transient', 'permanent')),  -- the last failure
    failure_message        TEXT,
    failure_retry_after_ms INTEGER,
    analysis_json          TEXT,
    input_tokens           INTEGER,
    output_tokens          INTEGER,
    cost_usd               REAL,
    completed_at           INTEGER,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL
);

-- input order within a batch (meetingsList, and the per-batch ranking of the claim)
CREATE UNIQUE INDEX meetings_by_batch_idx ON meetings (batch_id, idx);
-- the claim looks for due queued meetings; nextDueAt for the earliest queued one
CREATE INDEX meetings_due ON meetings (state, not_before);
-- the reaper looks for running meetings whose lease expired
CREATE INDEX meetings_leases ON meetings (state, lease_expires_at);

CREATE TABLE attempts (
    meeting_id             TEXT    NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    number                 INTEGER NOT NULL,     -- 1, 2, ... = meetings.attempt_count when it started
    started_at             INTEGER NOT NULL,
    finished_at            INTEGER,              -- null while the attempt is open (its meeting is running)
    failure_kind           TEXT CHECK (failure_kind IN ('transient', 'permanent')),  -- null: it succeeded
    failure_message        TEXT,
    failure_retry_after_ms INTEGER,
    PRIMARY KEY (meeting_id, number)
);

-- Minutes store schema, PostgreSQL flavour of db/migration/sqlite/V001__init.sql (same version
-- number). Differences, each on purpose:
-- * Instants stay epoch milliseconds (BIGINT, not timestamptz): the rows read and bind the same on
--   both backends, and integers compare and index exactly.
-- * Ids are TEXT COLLATE "C": they sort by their bytes (time, then random), as in SQLite.
-- * JSON columns stay TEXT, as in SQLite, not JSONB: JSONB refuses the escape \u0000, which a
--   transcript may hold.
-- * cost_usd is DOUBLE PRECISION (SQLite: REAL, which is the same 8-byte float).
-- * PostgreSQL only: blobs (uploaded files and audio every node reads; on one machine they live in
--   a folder) and rate_limit_buckets (Bucket4j's state shared by every node; on one machine the
--   buckets live in memory).

CREATE TABLE batches (
    id           TEXT COLLATE "C" PRIMARY KEY,  -- "batch_" + time-sortable random
    run_key      TEXT,                           -- the same job run again resumes this batch
    provider     TEXT,
    submitted_at BIGINT NOT NULL
);

CREATE INDEX batches_by_run_key ON batches (run_key, submitted_at);

CREATE TABLE meetings (
    id                     TEXT COLLATE "C" PRIMARY KEY,  -- "mtg_" + time-sortable random
    batch_id               TEXT COLLATE "C" NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    idx                    INTEGER NOT NULL,     -- position in the batch's input order
    source                 TEXT    NOT NULL,
    title                  TEXT,
    content_hash           TEXT,
    state                  TEXT    NOT NULL
        CHECK (state IN ('queued', 'running', 'completed', 'failed', 'skipped', 'cancelled')),
    attempt_count          INTEGER NOT NULL DEFAULT 0,  -- number of the latest attempt; attempt numbers stay unique
    not_before             BIGINT,               -- a queued meeting is due once not_before <= now
    lease_owner            TEXT,                 -- set while running
    lease_expires_at       BIGINT,               -- set while running
    transcript_json        TEXT,                 -- null for meetings that never got past ingest
    skip_reason            TEXT,
    failure_kind           TEXT CHECK (failure_kind IN ('transient', 'permanent')),  -- the last failure
    failure_message        TEXT,
    failure_retry_after_ms BIGINT,
    analysis_json          TEXT,
    input_tokens           BIGINT,
    output_tokens          BIGINT,
    cost_usd               DOUBLE PRECISION,
    completed_at           BIGINT,
    created_at             BIGINT  NOT NULL,
    updated_at             BIGINT  NOT NULL
);

-- input order within a batch (meetingsList, and the per-batch ranking of the claim)
CREATE UNIQUE INDEX meetings_by_batch_idx ON meetings (batch_id, idx);
-- the claim looks for due queued meetings; nextDueAt for the earliest queued one
CREATE INDEX meetings_due ON meetings (state, not_before);
-- the reaper looks for running meetings whose lease expired
CREATE INDEX meetings_leases ON meetings (state, lease_expires_at);

CREATE TABLE attempts (
    meeting_id             TEXT COLLATE "C" NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
    number                 INTEGER NOT NULL,     -- 1, 2, ... = meetings.attempt_count when it started
    started_at             BIGINT  NOT NULL,
    finished_at            BIGINT,               -- null while the attempt is open (its meeting is running)
    failure_kind           TEXT CHECK (failure_kind IN ('transient', 'permanent')),  -- null: it succeeded
    failure_message        TEXT,
    failure_retry_after_ms BIGINT,
    PRIMARY KEY (meeting_id, number)
);

-- PostgreSQL only. A blob is content addressed (key = SHA-256 of its bytes, hex) and kept as
-- numbered chunks, so neither writing nor reading it needs it whole in memory. Chunks are written
-- under a temporary upload key and renamed to the content key when the last byte is in.
CREATE TABLE blobs (
    blob_key   TEXT COLLATE "C" PRIMARY KEY,
    size       BIGINT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE blob_chunks (
    blob_key TEXT COLLATE "C" NOT NULL,  -- a blobs.blob_key, or an upload's key until it is complete
    n        INTEGER NOT NULL,           -- 0, 1, ... in byte order
    data     BYTEA   NOT NULL,
    PRIMARY KEY (blob_key, n)
);

-- PostgreSQL only: the rate-limit token buckets every node shares, in Bucket4j's layout
-- (PostgreSQLSelectForUpdateBasedProxyManager: id, state).
CREATE TABLE rate_limit_buckets (
    id    TEXT COLLATE "C" PRIMARY KEY,
    state BYTEA
);

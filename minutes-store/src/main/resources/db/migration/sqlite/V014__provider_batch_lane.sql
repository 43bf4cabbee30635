-- The provider batch lane (issue 17): a meeting's planned lane, the lane that produced its minutes, the
-- provider batch it waits in, and the provider batches themselves (see postgres/V014 for the same).
-- SQLite cannot change a CHECK constraint in place: meetings is rebuilt (SQLite's documented
-- "12-step" ALTER; foreign_keys is off in this store, so dropping the old table cascades to nothing),
-- with 'waiting' (inside a provider batch) among its states; PostgreSQL swaps the constraint instead.
CREATE TABLE meetings_v014 (
    id                     TEXT    PRIMARY KEY,
    batch_id               TEXT    NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    idx                    INTEGER NOT NULL,
    source                 TEXT    NOT NULL,
    title                  TEXT,
    content_hash           TEXT,
    state                  TEXT    NOT NULL
        CHECK (state IN ('queued', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled')),
    attempt_count          INTEGER NOT NULL DEFAULT 0,
    not_before             INTEGER,
    lease_owner            TEXT,
    lease_expires_at       INTEGER,
    transcript_json        TEXT,
    skip_reason            TEXT,
    failure_kind           TEXT CHECK (failure_kind IN ('transient', 'permanent')),
    failure_message        TEXT,
    failure_retry_after_ms INTEGER,
    analysis_json          TEXT,
    input_tokens           INTEGER,
    output_tokens          INTEGER,
    cost_usd               REAL,
    completed_at           INTEGER,
    created_at             INTEGER NOT NULL,
    updated_at             INTEGER NOT NULL,
    attempt_base           INTEGER NOT NULL DEFAULT 0,
    blob_key               TEXT,
    media_type             TEXT,
    audio_seconds          REAL,
    transcription_cost_usd REAL,
    tier                   TEXT    NOT NULL DEFAULT 'ordinary' CHECK (tier IN ('ordinary', 'sensitive')),
    duplicate_of           TEXT,
    replaced_by            TEXT,
    leases_lost_in_a_row   INTEGER NOT NULL DEFAULT 0,
    rate_limited_since     INTEGER,
    max_attempts           INTEGER,
    -- new in V014
    lane                   TEXT    NOT NULL DEFAULT 'realtime' CHECK (lane IN ('realtime', 'flex', 'batch')),
    ran_lane               TEXT    CHECK (ran_lane IN ('realtime', 'flex', 'batch')),  -- set when completed by a provider
    list_cost_usd          REAL,   -- what its usage costs in the realtime lane (null: the same as cost_usd)
    provider_batch         TEXT    -- the provider batch it waits in (provider_batches.id) while waiting
);

INSERT INTO meetings_v014 (id, batch_id, idx, source, title, content_hash, state, attempt_count, not_before,
                           lease_owner, lease_expires_at, transcript_json, skip_reason, failure_kind, failure_message,
                           failure_retry_after_ms, analysis_json, input_tokens, output_tokens, cost_usd, completed_at,
                           created_at, updated_at, attempt_base, blob_key, media_type, audio_seconds,
                           transcription_cost_usd, tier, duplicate_of, replaced_by, leases_lost_in_a_row,
                           rate_limited_since, max_attempts, ran_lane)
SELECT id, batch_id, idx, source, title, content_hash, state, attempt_count, not_before,
       lease_owner, lease_expires_at, transcript_json, skip_reason, failure_kind, failure_message,
       failure_retry_after_ms, analysis_json, input_tokens, output_tokens, cost_usd, completed_at,
       created_at, updated_at, attempt_base, blob_key, media_type, audio_seconds,
       transcription_cost_usd, tier, duplicate_of, replaced_by, leases_lost_in_a_row,
       rate_limited_since, max_attempts,
       CASE WHEN state = 'completed' AND duplicate_of IS NULL THEN 'realtime' END
FROM meetings;

DROP TABLE meetings;
ALTER TABLE meetings_v014 RENAME TO meetings;

CREATE UNIQUE INDEX meetings_by_batch_idx ON meetings (batch_id, idx);
CREATE INDEX meetings_due ON meetings (state, not_before);
CREATE INDEX meetings_leases ON meetings (state, lease_expires_at);
-- the realtime claim walks each open batch's queue of its lane only (meetings_claimable.sql): a batch
-- of 100,000 meetings waiting for a provider batch costs the claim nothing
CREATE INDEX meetings_queue ON meetings (state, batch_id, lane, idx, not_before);
CREATE INDEX meetings_counts ON meetings (batch_id, state, input_tokens, output_tokens, cost_usd);
CREATE INDEX meetings_by_content_hash ON meetings (content_hash);
CREATE INDEX meetings_by_title ON meetings (title);
-- the meetings of one provider batch (its lines rebuilt on resume, released, finished)
CREATE INDEX meetings_by_provider_batch ON meetings (provider_batch);

-- as V010's, unchanged
CREATE TRIGGER meetings_counted AFTER UPDATE OF state, input_tokens, output_tokens, cost_usd ON meetings
WHEN OLD.state IS NOT NEW.state OR OLD.input_tokens IS NOT NEW.input_tokens
  OR OLD.output_tokens IS NOT NEW.output_tokens OR OLD.cost_usd IS NOT NEW.cost_usd
BEGIN
    UPDATE batch_state_counts
    SET meetings      = meetings - 1,
        input_tokens  = input_tokens - COALESCE(OLD.input_tokens, 0),
        output_tokens = output_tokens - COALESCE(OLD.output_tokens, 0),
        cost_usd      = cost_usd - COALESCE(OLD.cost_usd, 0.0)
    WHERE batch_id = OLD.batch_id AND state = OLD.state;
    UPDATE batch_state_counts
    SET meetings      = meetings + 1,
        input_tokens  = input_tokens + COALESCE(NEW.input_tokens, 0),
        output_tokens = output_tokens + COALESCE(NEW.output_tokens, 0),
        cost_usd      = cost_usd + COALESCE(NEW.cost_usd, 0.0)
    WHERE batch_id = NEW.batch_id AND state = NEW.state;
END;

-- every batch counts its waiting meetings too (none yet)
INSERT INTO batch_state_counts (batch_id, state, meetings, input_tokens, output_tokens, cost_usd)
SELECT id, 'waiting', 0, 0, 0, 0.0 FROM batches;

-- One provider batch (OpenAI Batch API, Anthropic Message Batches), from the intent stored before any
-- call to the provider to its results collected. id is our key, also sent to the provider (metadata) so
-- that a node taking over after a crash finds what the provider already holds.
-- state: intended -> staged -> created -> ended -> collected; cancelled (never created), failed (refused).
-- enqueued_tokens: the prompt tokens it reserves of this provider+model's enqueued-token limit while
-- intended, staged or created (the ledger); lease_*: the node that drives and polls it.
CREATE TABLE provider_batches (
    id               TEXT    PRIMARY KEY,
    provider         TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    state            TEXT    NOT NULL
        CHECK (state IN ('intended', 'staged', 'created', 'ended', 'collected', 'cancelled', 'failed')),
    staged_ref       TEXT,
    remote_id        TEXT,
    lines            INTEGER NOT NULL,
    enqueued_tokens  INTEGER NOT NULL,
    total            INTEGER,
    succeeded        INTEGER,
    errored          INTEGER,
    not_run          INTEGER,
    remote_status    TEXT,
    failure          TEXT,
    intended_at      INTEGER NOT NULL,
    created_at       INTEGER,
    ended_at         INTEGER,
    lease_owner      TEXT,
    lease_expires_at INTEGER,
    updated_at       INTEGER NOT NULL
);

-- the ledger (unended batches of one provider and model) and the lease's look for batches to drive
CREATE INDEX provider_batches_open ON provider_batches (provider, model, state);

-- The provider batch lane (issue 17), as db/migration/sqlite/V014__provider_batch_lane.sql. Differences:
-- * the state CHECK is swapped in place (SQLite rebuilds the table);
-- * types: BIGINT instants, DOUBLE PRECISION money, ids COLLATE "C" (as V001).
ALTER TABLE meetings DROP CONSTRAINT meetings_state_check;
ALTER TABLE meetings ADD CONSTRAINT meetings_state_check
    CHECK (state IN ('queued', 'running', 'waiting', 'completed', 'failed', 'skipped', 'cancelled'));

ALTER TABLE meetings ADD COLUMN lane TEXT NOT NULL DEFAULT 'realtime' CHECK (lane IN ('realtime', 'flex', 'batch'));
ALTER TABLE meetings ADD COLUMN ran_lane TEXT CHECK (ran_lane IN ('realtime', 'flex', 'batch'));
ALTER TABLE meetings ADD COLUMN list_cost_usd DOUBLE PRECISION;
ALTER TABLE meetings ADD COLUMN provider_batch TEXT COLLATE "C";

UPDATE meetings SET ran_lane = 'realtime' WHERE state = 'completed' AND duplicate_of IS NULL;

-- the realtime claim walks each open batch's queue of its lane only (meetings_claimable.sql)
DROP INDEX meetings_queue;
CREATE INDEX meetings_queue ON meetings (state, batch_id, lane, idx, not_before);
CREATE INDEX meetings_by_provider_batch ON meetings (provider_batch);

INSERT INTO batch_state_counts (batch_id, state, meetings, input_tokens, output_tokens, cost_usd)
SELECT id, 'waiting', 0, 0, 0, 0.0 FROM batches;

CREATE TABLE provider_batches (
    id               TEXT COLLATE "C" PRIMARY KEY,
    provider         TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    state            TEXT    NOT NULL
        CHECK (state IN ('intended', 'staged', 'created', 'ended', 'collected', 'cancelled', 'failed')),
    staged_ref       TEXT,
    remote_id        TEXT,
    lines            INTEGER NOT NULL,
    enqueued_tokens  BIGINT  NOT NULL,
    total            INTEGER,
    succeeded        INTEGER,
    errored          INTEGER,
    not_run          INTEGER,
    remote_status    TEXT,
    failure          TEXT,
    intended_at      BIGINT  NOT NULL,
    created_at       BIGINT,
    ended_at         BIGINT,
    lease_owner      TEXT,
    lease_expires_at BIGINT,
    updated_at       BIGINT  NOT NULL
);

CREATE INDEX provider_batches_open ON provider_batches (provider, model, state);

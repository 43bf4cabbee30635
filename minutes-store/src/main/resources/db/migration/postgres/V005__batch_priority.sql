-- Same as db/migration/sqlite/V005__batch_priority.sql.
-- A batch's share of the claims (meetings_claimable.sql): high batches get 4 meetings, normal 2 and
-- low 1 per round-robin round.
ALTER TABLE batches ADD COLUMN priority TEXT NOT NULL DEFAULT 'normal'
    CHECK (priority IN ('high', 'normal', 'low'));

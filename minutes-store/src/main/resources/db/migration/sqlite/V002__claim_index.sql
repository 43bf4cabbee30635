-- Serves meetings_claimable.sql: the batches with queued meetings, and each one's queue in input
-- order, read from the index alone.
CREATE INDEX meetings_queue ON meetings (state, batch_id, idx, not_before);

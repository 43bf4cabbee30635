-- Serves meetings_claimable.sql: the batches with queued meetings, and each one's queue in input
-- order, read from the index alone.
CREATE INDEX meetings_queue ON meetings (state, batch_id, idx, not_before);

-- Serves batch_counts.sql, asked after every state change for progress: a covering index lets it
-- count a batch without reading its rows (and their transcripts).
CREATE INDEX meetings_counts ON meetings (batch_id, state, input_tokens, output_tokens, cost_usd);

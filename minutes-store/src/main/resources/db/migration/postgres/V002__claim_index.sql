-- Same as db/migration/sqlite/V002__claim_index.sql.
-- Serves meetings_claimable.sql: each open batch's queue in input order, read from the index.
CREATE INDEX meetings_queue ON meetings (state, batch_id, idx, not_before);

-- Serves batch_counts.sql, asked after every state change for progress. PostgreSQL has covering
-- indexes too (the counted columns ride along with INCLUDE instead of being key columns).
CREATE INDEX meetings_counts ON meetings (batch_id, state) INCLUDE (input_tokens, output_tokens, cost_usd);

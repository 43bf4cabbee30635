-- A new batch's count rows, one per state, from its meetings just stored (once per batch: one
-- aggregate over that batch); from then on the trigger meetings_counted keeps them (V010).
-- PostgreSQL: the seven states as a VALUES list with named columns (SQLite cannot name VALUES columns and
-- uses a UNION ALL of SELECTs).
INSERT INTO batch_state_counts (batch_id, state, meetings, input_tokens, output_tokens, cost_usd)
SELECT :batch_id, s.state, COUNT(m.id), COALESCE(SUM(m.input_tokens), 0), COALESCE(SUM(m.output_tokens), 0),
       COALESCE(SUM(m.cost_usd), 0.0)
FROM (VALUES ('queued'), ('running'), ('waiting'), ('completed'), ('failed'), ('skipped'), ('cancelled')) AS s (state)
LEFT JOIN meetings m ON m.batch_id = :batch_id AND m.state = s.state
GROUP BY s.state

-- per-state counts and usage across every batch (as batch_counts.sql, served by the same index)
SELECT state,
       COUNT(*)                        AS meetings,
       COALESCE(SUM(input_tokens), 0)  AS input_tokens,
       COALESCE(SUM(output_tokens), 0) AS output_tokens,
       COALESCE(SUM(cost_usd), 0.0)    AS cost_usd
FROM meetings
GROUP BY state

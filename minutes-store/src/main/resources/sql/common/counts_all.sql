-- per-state counts and usage across every batch, from the counts kept per batch (V010)
SELECT state,
       SUM(meetings)      AS meetings,
       SUM(input_tokens)  AS input_tokens,
       SUM(output_tokens) AS output_tokens,
       SUM(cost_usd)      AS cost_usd
FROM batch_state_counts
GROUP BY state
HAVING SUM(meetings) > 0

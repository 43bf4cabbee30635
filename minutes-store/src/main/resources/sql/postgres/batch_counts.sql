-- per-state counts and usage of one batch; states with no meeting are absent
SELECT state,
       COUNT(*)                     AS meetings,
       COALESCE(SUM(input_tokens), 0)  AS input_tokens,
       COALESCE(SUM(output_tokens), 0) AS output_tokens,
       COALESCE(SUM(cost_usd), 0.0)    AS cost_usd
FROM meetings
WHERE batch_id = :batch_id
GROUP BY state

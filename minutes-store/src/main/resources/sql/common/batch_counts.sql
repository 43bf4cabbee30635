-- per-state counts and usage of one batch, kept as its meetings change (V010: batch_state_counts);
-- states with no meeting are absent
SELECT state, meetings, input_tokens, output_tokens, cost_usd
FROM batch_state_counts
WHERE batch_id = :batch_id
  AND meetings > 0

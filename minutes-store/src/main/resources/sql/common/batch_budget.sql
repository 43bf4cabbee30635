-- A batch's budget and where it stands: spent is what its meetings cost (analyses and transcriptions),
-- reserved what its open attempts hold, except :except_meeting_id's (a reservation replaces the
-- meeting's own; '' for none); exhausted_meetings were refused by it. Sums are read only for a batch
-- that has a budget.
SELECT b.budget_usd,
       CASE WHEN b.budget_usd IS NULL THEN 0.0 ELSE
           -- from the counts kept per batch (V010): summing its meetings cost more the bigger the batch
           (SELECT COALESCE(SUM(c.cost_usd), 0.0) FROM batch_state_counts c WHERE c.batch_id = b.id) END AS spent_usd,
       CASE WHEN b.budget_usd IS NULL THEN 0.0 ELSE
           (SELECT COALESCE(SUM(a.reserved_usd), 0.0)
            FROM attempts a
            JOIN meetings m ON m.id = a.meeting_id
            WHERE m.batch_id = b.id
              AND a.finished_at IS NULL
              AND a.meeting_id <> :except_meeting_id) END AS reserved_usd,
       CASE WHEN b.budget_usd IS NULL THEN 0 ELSE
           (SELECT COUNT(*) FROM meetings m
            WHERE m.batch_id = b.id AND m.state = 'skipped' AND m.skip_reason LIKE 'budget_exhausted%') END AS exhausted_meetings
FROM batches b
WHERE b.id = :batch_id

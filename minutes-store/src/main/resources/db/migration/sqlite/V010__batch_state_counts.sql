-- Each batch's meetings per state, with their usage, kept as the meetings change, so a batch's counts
-- (progress after every meeting, the status API, the claim's open batches) cost the same at 100
-- meetings and at 100,000. Aggregating the meetings (batch_counts.sql before this) took 36 ms a call
-- on a 100k batch, under the single write lock.
-- Who keeps it:
-- * a new batch's rows are made once its meetings are stored (batch_counts_init.sql, one aggregate over
--   that batch), not by a trigger on INSERT: PostgreSQL would update one row once per meeting
--   inserted in the same transaction, and each update there costs more than the one before;
-- * every later change of a meeting's state or usage, by the trigger below, in the same transaction;
-- * deleting a batch deletes its rows (ON DELETE CASCADE); meetings are deleted only with their batch.
CREATE TABLE batch_state_counts (
    batch_id      TEXT    NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    state         TEXT    NOT NULL,
    meetings      INTEGER NOT NULL,
    input_tokens  INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    cost_usd      REAL    NOT NULL,
    PRIMARY KEY (batch_id, state)
) WITHOUT ROWID;

-- the claim's open batches: state = 'queued' AND meetings > 0
CREATE INDEX batch_state_counts_open ON batch_state_counts (state, meetings);

INSERT INTO batch_state_counts (batch_id, state, meetings, input_tokens, output_tokens, cost_usd)
SELECT b.id, s.state, COUNT(m.id), COALESCE(SUM(m.input_tokens), 0), COALESCE(SUM(m.output_tokens), 0),
       COALESCE(SUM(m.cost_usd), 0.0)
FROM batches b
CROSS JOIN (SELECT 'queued' AS state UNION ALL SELECT 'running' UNION ALL SELECT 'completed'
            UNION ALL SELECT 'failed' UNION ALL SELECT 'skipped' UNION ALL SELECT 'cancelled') s
LEFT JOIN meetings m ON m.batch_id = b.id AND m.state = s.state
GROUP BY b.id, s.state;

-- Before a batch's rows exist (while it is being stored) the UPDATEs change nothing; the init counts it.
CREATE TRIGGER meetings_counted AFTER UPDATE OF state, input_tokens, output_tokens, cost_usd ON meetings
WHEN OLD.state IS NOT NEW.state OR OLD.input_tokens IS NOT NEW.input_tokens
  OR OLD.output_tokens IS NOT NEW.output_tokens OR OLD.cost_usd IS NOT NEW.cost_usd
BEGIN
    UPDATE batch_state_counts
    SET meetings      = meetings - 1,
        input_tokens  = input_tokens - COALESCE(OLD.input_tokens, 0),
        output_tokens = output_tokens - COALESCE(OLD.output_tokens, 0),
        cost_usd      = cost_usd - COALESCE(OLD.cost_usd, 0.0)
    WHERE batch_id = OLD.batch_id AND state = OLD.state;
    UPDATE batch_state_counts
    SET meetings      = meetings + 1,
        input_tokens  = input_tokens + COALESCE(NEW.input_tokens, 0),
        output_tokens = output_tokens + COALESCE(NEW.output_tokens, 0),
        cost_usd      = cost_usd + COALESCE(NEW.cost_usd, 0.0)
    WHERE batch_id = NEW.batch_id AND state = NEW.state;
END;

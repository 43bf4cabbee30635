-- Each batch's meetings per state, with their usage, kept as the meetings change (see
-- db/migration/sqlite/V010__batch_state_counts.sql for why and who keeps it). Differences:
-- * the trigger is per statement, over its transition tables: a statement changing many meetings
--   of a batch (cancel, requeue) updates each of its count rows once; a row trigger would update
--   the same row once per meeting, and within one transaction each such update costs more than the
--   one before (it walks the row's earlier versions). Transition tables cannot go with a column
--   list, so it runs after every UPDATE of meetings; a statement that changes no state nor usage
--   (a heartbeat) touches no count row and takes no lock;
-- * count rows are updated in (batch_id, state) order, so two transactions never lock two of them in
--   opposite orders (JdbcMeetingStore.meetingsClaim also claims in batch order).
CREATE TABLE batch_state_counts (
    batch_id      TEXT COLLATE "C" NOT NULL REFERENCES batches (id) ON DELETE CASCADE,
    state         TEXT             NOT NULL,
    meetings      INTEGER          NOT NULL,
    input_tokens  BIGINT           NOT NULL,
    output_tokens BIGINT           NOT NULL,
    cost_usd      DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (batch_id, state)
);

-- the claim's open batches: state = 'queued' AND meetings > 0
CREATE INDEX batch_state_counts_open ON batch_state_counts (state, meetings);

INSERT INTO batch_state_counts (batch_id, state, meetings, input_tokens, output_tokens, cost_usd)
SELECT b.id, s.state, COUNT(m.id), COALESCE(SUM(m.input_tokens), 0), COALESCE(SUM(m.output_tokens), 0),
       COALESCE(SUM(m.cost_usd), 0.0)
FROM batches b
CROSS JOIN (VALUES ('queued'), ('running'), ('completed'), ('failed'), ('skipped'), ('cancelled')) AS s (state)
LEFT JOIN meetings m ON m.batch_id = b.id AND m.state = s.state
GROUP BY b.id, s.state;

CREATE FUNCTION meetings_counted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    change RECORD;
BEGIN
    FOR change IN
        SELECT batch_id, state, SUM(meetings) AS meetings, SUM(input_tokens) AS input_tokens,
               SUM(output_tokens) AS output_tokens, SUM(cost_usd) AS cost_usd
        FROM (SELECT batch_id, state, 1 AS meetings, COALESCE(input_tokens, 0) AS input_tokens,
                     COALESCE(output_tokens, 0) AS output_tokens, COALESCE(cost_usd, 0.0) AS cost_usd
              FROM new_meetings
              UNION ALL
              SELECT batch_id, state, -1, -COALESCE(input_tokens, 0), -COALESCE(output_tokens, 0),
                     -COALESCE(cost_usd, 0.0)
              FROM old_meetings) AS changes
        GROUP BY batch_id, state
        HAVING SUM(meetings) <> 0 OR SUM(input_tokens) <> 0 OR SUM(output_tokens) <> 0 OR SUM(cost_usd) <> 0
        ORDER BY batch_id, state
    LOOP
        UPDATE batch_state_counts c
        SET meetings      = c.meetings + change.meetings,
            input_tokens  = c.input_tokens + change.input_tokens,
            output_tokens = c.output_tokens + change.output_tokens,
            cost_usd      = c.cost_usd + change.cost_usd
        WHERE c.batch_id = change.batch_id AND c.state = change.state;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE TRIGGER meetings_counted AFTER UPDATE ON meetings
    REFERENCING OLD TABLE AS old_meetings NEW TABLE AS new_meetings
    FOR EACH STATEMENT EXECUTE FUNCTION meetings_counted();

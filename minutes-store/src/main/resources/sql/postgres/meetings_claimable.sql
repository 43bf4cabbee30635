-- The meetings the next claim takes, in claim order: a fair share of the slots for every batch,
-- weighted by its priority. A batch's n-th due meeting has turn (running + n) * stride, where
-- running is how many of its meetings are in flight now (on every node) and stride is high 1,
-- normal 2, low 4; lower turns go first, older batches first within a turn, input order within a
-- batch. Same order as sql/sqlite/meetings_claimable.sql; it differs in how it keeps other nodes off
-- the chosen rows:
-- * SQLite holds the database's single write lock (BEGIN IMMEDIATE). Here every candidate row is
--   locked with FOR UPDATE SKIP LOCKED, so concurrent claims on any number of nodes never wait for
--   each other and never see the same row: a row another claim holds is passed over. Locking is
--   not allowed next to window functions, so rows are locked where they are picked (per batch, in
--   a LATERAL subquery) and ranked afterwards. A candidate locked but not chosen stays locked until
--   this claim commits; another claim passes over it meanwhile.
-- * The open batches come, as in SQLite, from the counts kept per batch (V010), not from every
--   batch ever stored with an index probe each, nor from DISTINCT over the queued meetings.
-- Cost, as in SQLite: at most :limit candidates per batch, read through meetings_queue; transcripts
-- are read for the chosen rows only.
WITH in_flight AS (
    SELECT batch_id, COUNT(*) AS running
    FROM meetings
    WHERE state = 'running'
    GROUP BY batch_id
),
candidates AS (
    -- the realtime and the flex queue of each batch, each walked in input order along meetings_queue (state,
    -- batch_id, lane, idx) as in SQLite: a meeting planned for a provider batch is packed by the batch lane (V014);
    -- a flex one runs here, its calls in flex. A locking clause is not allowed in an input of a UNION, only
    -- inside a subquery of one: hence one LATERAL per lane
    SELECT q.id, q.batch_id, q.idx, b.submitted_at, b.priority
    FROM batch_state_counts open_batch
    JOIN batches b ON b.id = open_batch.batch_id
    CROSS JOIN LATERAL (
        SELECT m.id, m.batch_id, m.idx
        FROM meetings m
        WHERE m.state = 'queued'
          AND m.lane = 'realtime'
          AND m.batch_id = b.id
          AND m.not_before <= :now
        ORDER BY m.idx
        LIMIT :limit
        FOR UPDATE SKIP LOCKED) q
    WHERE open_batch.state = 'queued'
      AND open_batch.meetings > 0
    UNION ALL
    SELECT q.id, q.batch_id, q.idx, b.submitted_at, b.priority
    FROM batch_state_counts open_batch
    JOIN batches b ON b.id = open_batch.batch_id
    CROSS JOIN LATERAL (
        SELECT m.id, m.batch_id, m.idx
        FROM meetings m
        WHERE m.state = 'queued'
          AND m.lane = 'flex'
          AND m.batch_id = b.id
          AND m.not_before <= :now
        ORDER BY m.idx
        LIMIT :limit
        FOR UPDATE SKIP LOCKED) q
    WHERE open_batch.state = 'queued'
      AND open_batch.meetings > 0
),
chosen AS (
    SELECT c.id, c.batch_id, c.idx, c.submitted_at,
           (COALESCE(f.running, 0) + ROW_NUMBER() OVER (PARTITION BY c.batch_id ORDER BY c.idx))
               * CASE c.priority WHEN 'high' THEN 1 WHEN 'low' THEN 4 ELSE 2 END AS turn
    FROM candidates c
    LEFT JOIN in_flight f ON f.batch_id = c.batch_id
    ORDER BY turn, c.submitted_at, c.batch_id, c.idx
    LIMIT :limit
)
SELECT m.id, m.batch_id, m.idx, m.source, m.title, m.transcript_json, m.attempt_count, m.attempt_base,
       m.blob_key, m.media_type, -- the CLI marks a whole batch sensitive, the service each meeting
       CASE WHEN m.tier = 'sensitive' OR mb.tier = 'sensitive' THEN 'sensitive' ELSE 'ordinary' END AS tier,
       -- the batch's own retry budget (options.max_attempts of the HTTP API), kept on the meeting (V013);
       -- null: the node's max-attempts
       m.max_attempts,
       -- the language and template its batch asked for (options.language/template of the HTTP API, V016); null: the node's
       m.language, m.template,
       -- the day it took place, when given or read from its file's metadata (V018); null: read from its name
       m.meeting_date,
       -- whether its calls must be reserved from a budget first
       CASE WHEN mb.budget_usd IS NULL THEN 0 ELSE 1 END AS budgeted,
       m.lane, -- realtime, or flex: its calls go in the provider's flex tier
       -- whose meeting it is: the result cache keeps each tenant's answers apart
       (SELECT s.tenant FROM submissions s WHERE s.batch_id = m.batch_id) AS tenant
FROM chosen ch
JOIN meetings m ON m.id = ch.id
JOIN batches mb ON mb.id = m.batch_id
ORDER BY ch.turn, ch.submitted_at, ch.batch_id, ch.idx

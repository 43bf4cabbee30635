-- The meetings the next claim takes, in claim order: a fair share of the slots for every batch,
-- weighted by its priority. A batch's n-th due meeting has turn (running + n) * stride, where
-- running is how many of its meetings are in flight now and stride is high 1, normal 2, low 4; lower
-- turns go first, older batches first within a turn, input order within a batch. So with nothing in
-- flight, each round gives a high batch 4 meetings, a normal one 2 and a low one 1; and a batch
-- submitted behind a big one takes the next free slots until it holds its share, even when slots
-- free up one at a time (plain round-robin restarted every claim gave a one-meeting claim to the
-- oldest batch, every time).
-- SQLite has no SELECT ... FOR UPDATE SKIP LOCKED: the store runs this inside BEGIN IMMEDIATE,
-- which takes the database's single write lock before reading, so no other connection or process
-- can claim the same rows between this SELECT and the UPDATEs that follow (meeting_claim.sql).
-- Cost: no batch can give more than :limit meetings to one claim, so only each batch's first :limit
-- due meetings are ranked (through meetings_queue), and transcripts are read for the chosen rows
-- only. Ranking every queued meeting made a claim O(queue) and a 1,000-meeting batch O(n^2). The
-- open batches come from their counts, the in-flight ones from the running meetings: nothing here
-- grows with the size of the queue.
WITH open_batches AS (
    -- from the counts kept per batch (V010): DISTINCT over the queued meetings read every one of them
    -- (31 ms a claim with 100,000 queued)
    SELECT batch_id
    FROM batch_state_counts
    WHERE state = 'queued'
      AND meetings > 0
),
in_flight AS (
    SELECT batch_id, COUNT(*) AS running
    FROM meetings
    WHERE state = 'running'
    GROUP BY batch_id
),
candidates AS (
    -- the realtime and the flex queue of each batch, each walked in input order along meetings_queue (state,
    -- batch_id, lane, idx): one range per lane, so a claim still reads at most :limit rows of each (a meeting
    -- planned for a provider batch is packed by the batch lane, V014; a flex one runs here, its calls in flex)
    SELECT m.id, m.batch_id, m.idx
    FROM open_batches ob
    JOIN meetings m ON m.id IN (
        -- INDEXED BY: without it SQLite's planner (no statistics) took meetings_due (state, not_before),
        -- read every due queued meeting and sorted them: 48 ms a claim with 100,000 queued, 1 ms with it
        SELECT id FROM (
            SELECT q.id
            FROM meetings q INDEXED BY meetings_queue
            WHERE q.state = 'queued'
              AND q.lane = 'realtime'
              AND q.batch_id = ob.batch_id
              AND q.not_before <= :now
            ORDER BY q.idx
            LIMIT :limit)
        UNION ALL
        SELECT id FROM (
            SELECT q.id
            FROM meetings q INDEXED BY meetings_queue
            WHERE q.state = 'queued'
              AND q.lane = 'flex'
              AND q.batch_id = ob.batch_id
              AND q.not_before <= :now
            ORDER BY q.idx
            LIMIT :limit))
),
chosen AS (
    SELECT c.id, c.batch_id, c.idx, b.submitted_at,
           (COALESCE(f.running, 0) + ROW_NUMBER() OVER (PARTITION BY c.batch_id ORDER BY c.idx))
               * CASE b.priority WHEN 'high' THEN 1 WHEN 'low' THEN 4 ELSE 2 END AS turn
    FROM candidates c
    JOIN batches b ON b.id = c.batch_id
    LEFT JOIN in_flight f ON f.batch_id = c.batch_id
    ORDER BY turn, b.submitted_at, c.batch_id, c.idx
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

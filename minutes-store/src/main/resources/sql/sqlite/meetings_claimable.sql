-- The meetings the next claim takes, in claim order: round-robin across batches (every batch's
-- n-th due meeting before any batch's (n+1)-th), older batches first within a round, input order
-- within a batch.
-- SQLite has no SELECT ... FOR UPDATE SKIP LOCKED: the store runs this inside BEGIN IMMEDIATE,
-- which takes the database's single write lock before reading, so no other connection or process
-- can claim the same rows between this SELECT and the UPDATEs that follow (meeting_claim.sql).
-- Cost: no batch can give more than :limit meetings to one claim, so only each batch's first :limit
-- due meetings are ranked (through meetings_queue), and transcripts are read for the chosen rows
-- only. Ranking every queued meeting made a claim O(queue) and a 1,000-meeting batch O(n^2).
WITH open_batches AS (
    SELECT DISTINCT batch_id
    FROM meetings
    WHERE state = 'queued'
),
candidates AS (
    SELECT m.id, m.batch_id, m.idx
    FROM open_batches ob
    JOIN meetings m ON m.id IN (
        SELECT q.id
        FROM meetings q
        WHERE q.state = 'queued'
          AND q.batch_id = ob.batch_id
          AND q.not_before <= :now
        ORDER BY q.idx
        LIMIT :limit)
),
chosen AS (
    SELECT c.id, c.batch_id, c.idx, b.submitted_at,
           ROW_NUMBER() OVER (PARTITION BY c.batch_id ORDER BY c.idx) AS turn
    FROM candidates c
    JOIN batches b ON b.id = c.batch_id
    ORDER BY turn, b.submitted_at, c.batch_id, c.idx
    LIMIT :limit
)
SELECT m.id, m.batch_id, m.idx, m.source, m.title, m.transcript_json, m.attempt_count, m.attempt_base,
       m.blob_key, m.media_type
FROM chosen ch
JOIN meetings m ON m.id = ch.id
ORDER BY ch.turn, ch.submitted_at, ch.batch_id, ch.idx

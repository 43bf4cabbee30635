-- The meetings the next claim takes, in claim order: round-robin across batches (every batch's
-- n-th due meeting before any batch's (n+1)-th), older batches first within a round, input order
-- within a batch.
-- SQLite has no SELECT ... FOR UPDATE SKIP LOCKED: the store runs this inside BEGIN IMMEDIATE,
-- which takes the database's single write lock before reading, so no other connection or process
-- can claim the same rows between this SELECT and the UPDATEs that follow (meeting_claim.sql).
WITH due AS (
    SELECT m.id, m.batch_id, m.idx, m.source, m.title, m.transcript_json, m.attempt_count,
           b.submitted_at,
           ROW_NUMBER() OVER (PARTITION BY m.batch_id ORDER BY m.idx) AS turn
    FROM meetings m
    JOIN batches b ON b.id = m.batch_id
    WHERE m.state = 'queued'
      AND m.not_before <= :now
)
SELECT id, batch_id, idx, source, title, transcript_json, attempt_count
FROM due
ORDER BY turn, submitted_at, batch_id, idx
LIMIT :limit

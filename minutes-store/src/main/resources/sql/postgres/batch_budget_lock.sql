-- The batch a meeting belongs to, locked (FOR UPDATE) before its budget is read and reserved from:
-- reservations of one batch on every node queue here, so two of them never both see room for one
-- call. SQLite needs no row lock (its single write lock does this).
SELECT b.id AS batch_id
FROM batches b
WHERE b.id = (SELECT m.batch_id FROM meetings m WHERE m.id = :meeting_id)
FOR UPDATE

-- A batch's deadline (null: none) and when it was submitted, from which its cut-over's buffer is worked out.
SELECT deadline, submitted_at FROM batches WHERE id = :batch_id

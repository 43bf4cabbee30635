-- meetings and their attempts go with it (ON DELETE CASCADE)
DELETE FROM batches WHERE id = :batch_id

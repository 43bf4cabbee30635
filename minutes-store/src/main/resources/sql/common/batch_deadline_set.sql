UPDATE batches SET deadline = :deadline WHERE id = :batch_id

SELECT DISTINCT blob_key FROM meetings WHERE batch_id = :batch_id AND blob_key IS NOT NULL

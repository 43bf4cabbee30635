SELECT blob_key FROM meetings WHERE blob_key = :blob_key LIMIT 1

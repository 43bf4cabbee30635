INSERT INTO api_keys (key_hash, tenant, created_at)
VALUES (:key_hash, :tenant, :now)

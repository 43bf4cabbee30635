-- every API key, oldest first (the key itself is never stored, only its hash)
SELECT key_hash, tenant, created_at
FROM api_keys
ORDER BY created_at, key_hash

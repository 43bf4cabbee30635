SELECT tenant
FROM api_keys
WHERE key_hash = :key_hash

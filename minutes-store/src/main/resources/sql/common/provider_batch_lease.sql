UPDATE provider_batches
SET lease_owner      = :owner,
    lease_expires_at = :lease_expires_at,
    updated_at       = :now
WHERE id = :id

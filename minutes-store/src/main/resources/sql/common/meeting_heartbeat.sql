UPDATE meetings
SET lease_expires_at = :lease_expires_at,
    updated_at       = :now
WHERE id = :meeting_id
  AND state = 'running'
  AND lease_owner = :owner

-- running meetings whose lease expired, plus every running meeting of a known-dead owner
-- (:owner is null when there is none; "lease_owner = NULL" is never true)
SELECT id, attempt_count, leases_lost_in_a_row, lease_owner
FROM meetings
WHERE state = 'running'
  AND (lease_expires_at < :now OR lease_owner = :owner)
ORDER BY id

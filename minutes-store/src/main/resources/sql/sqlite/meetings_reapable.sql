-- running meetings whose lease expired, plus every running meeting of a known-dead owner
-- (:owner is null when there is none; "lease_owner = NULL" is never true)
-- SQLite: no row locks; the store runs this inside BEGIN IMMEDIATE, which holds the whole file until
-- commit, so no owner can finish a meeting between this SELECT and the reaper's finish (PostgreSQL: FOR UPDATE SKIP LOCKED).
SELECT id, attempt_count, attempt_base, max_attempts, leases_lost_in_a_row, lease_owner
FROM meetings
WHERE state = 'running'
  AND (lease_expires_at < :now OR lease_owner = :owner)
ORDER BY id

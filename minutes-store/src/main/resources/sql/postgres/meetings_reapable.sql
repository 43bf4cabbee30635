-- running meetings whose lease expired, plus every running meeting of a known-dead owner
-- (:owner is null when there is none; "lease_owner = NULL" is never true)
-- PostgreSQL differs from SQLite (where BEGIN IMMEDIATE holds the whole file): the rows stay locked until
-- commit, so their owner cannot finish them between this SELECT and the reaper's finish; rows another
-- transaction is writing right now (a heartbeat, a completion) are skipped, not waited for, and
-- looked at again by the next reap.
SELECT id, attempt_count, attempt_base, max_attempts, leases_lost_in_a_row, lease_owner
FROM meetings
WHERE state = 'running'
  AND (lease_expires_at < :now OR lease_owner = :owner)
ORDER BY id
FOR UPDATE SKIP LOCKED

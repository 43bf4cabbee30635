-- the running meetings one owner holds a lease on (the meetings_leases index finds the running ones)
SELECT id
FROM meetings
WHERE state = 'running'
  AND lease_owner = :owner

SELECT DISTINCT lease_owner
FROM meetings
WHERE state = 'running'

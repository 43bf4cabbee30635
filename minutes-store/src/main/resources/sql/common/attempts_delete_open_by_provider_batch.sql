-- the open attempts of the meetings provider_batch_release.sql gives back: not run, so not counted
DELETE FROM attempts
WHERE finished_at IS NULL
  AND meeting_id IN (SELECT id FROM meetings WHERE provider_batch = :provider_batch AND state = 'waiting')

SELECT learned_at
FROM rate_windows
WHERE provider = :provider
  AND model = :model
  AND enforced_per = 'second'

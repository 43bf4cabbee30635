SELECT learned_at
FROM rate_windows
WHERE provider = :provider
  AND enforced_per = 'second'

-- the first node's learning is kept: the others' come later and say the same
INSERT INTO rate_windows (provider, enforced_per, learned_at)
VALUES (:provider, 'second', :at)
ON CONFLICT (provider) DO NOTHING

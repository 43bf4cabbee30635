-- the latest learning is kept: what it says stands for a while from then (Throttle.LEARNED_KEPT)
INSERT INTO rate_windows (provider, model, enforced_per, learned_at)
VALUES (:provider, :model, 'second', :at)
ON CONFLICT (provider, model) DO UPDATE SET learned_at = excluded.learned_at
    WHERE rate_windows.learned_at < excluded.learned_at

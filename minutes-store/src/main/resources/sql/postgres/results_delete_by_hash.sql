-- on_duplicate=replace: the transcript is analysed again, so its cached answers go
DELETE FROM results WHERE content_hash = :content_hash

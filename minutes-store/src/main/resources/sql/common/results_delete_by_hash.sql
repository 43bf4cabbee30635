-- on_duplicate=replace: the transcript is analysed again, so its cached answers go
-- of this tenant only ('': no tenant): another tenant's answer is none of its business
DELETE FROM results WHERE content_hash = :content_hash AND tenant = COALESCE(:tenant, '')

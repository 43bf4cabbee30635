-- When the first API key is created, its tenant takes the batches submitted while the service had
-- no keys (tenant NULL): the keyless service showed them to everyone, and with keys a batch without a
-- tenant is no one's.
UPDATE submissions SET tenant = :tenant WHERE tenant IS NULL

-- With submissions_adopt_keyless.sql: the first API key's tenant also takes the batches `minutes run`
-- stored before it (they have no submission; the keyless service listed them too). They get the
-- submission the CLI's defaults amount to. A batch the CLI stores after the first key has no owner:
-- it is the operator's, read through batch.json, not the API.
INSERT INTO submissions (batch_id, tenant, on_duplicate, priority, max_attempts)
SELECT b.id, :tenant, 'skip', b.priority, NULL
FROM batches b
WHERE NOT EXISTS (SELECT 1 FROM submissions s WHERE s.batch_id = b.id)
ON CONFLICT (batch_id) DO NOTHING

-- Same as db/migration/sqlite/V009__analyzer_and_tenant_results.sql, but PostgreSQL changes the
-- primary key in place instead of making the table again.
-- Who answers a batch's meetings: provider/model/analysis version (and /redacted), e.g.
-- 'openai/gpt-4o-mini/analysis-1'. A meeting is a duplicate only of meetings answered the same way:
-- minutes made by another provider or model are not the minutes asked for. NULL for batches stored
-- before this column existed: they are no longer originals for new batches (the result cache still
-- spares their calls).
ALTER TABLE batches ADD COLUMN analyzer TEXT;

-- The result cache is kept apart per tenant ('' = no tenant: the CLI and a service without API keys),
-- so a tenant cannot learn from a free, instant answer that another tenant sent the same transcript.
-- Answers kept before had no tenant recorded; they go to '' (the operator's own scope), never to a tenant.
ALTER TABLE results ADD COLUMN tenant TEXT NOT NULL DEFAULT '';
ALTER TABLE results DROP CONSTRAINT results_pkey;
ALTER TABLE results ADD PRIMARY KEY (tenant, content_hash, analysis_version, provider, model);

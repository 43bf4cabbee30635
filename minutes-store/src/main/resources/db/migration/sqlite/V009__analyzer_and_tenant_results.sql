-- Who answers a batch's meetings: provider/model/analysis version (and /redacted), e.g.
-- 'openai/gpt-4o-mini/analysis-1'. A meeting is a duplicate only of meetings answered the same way:
-- minutes made by another provider or model are not the minutes asked for. NULL for batches stored
-- before this column existed: they are no longer originals for new batches (the result cache still
-- spares their calls).
ALTER TABLE batches ADD COLUMN analyzer TEXT;

-- The result cache is kept apart per tenant ('' = no tenant: the CLI and a service without API keys),
-- so a tenant cannot learn from a free, instant answer that another tenant sent the same transcript.
-- SQLite cannot change a primary key: the table is made again. Answers kept before had no tenant
-- recorded; they go to '' (the operator's own scope), never to a tenant.
CREATE TABLE results_by_tenant (
    tenant           TEXT    NOT NULL DEFAULT '',
    content_hash     TEXT    NOT NULL,
    analysis_version TEXT    NOT NULL,
    provider         TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    analysis_json    TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (tenant, content_hash, analysis_version, provider, model)
);
INSERT INTO results_by_tenant (tenant, content_hash, analysis_version, provider, model, analysis_json, created_at)
SELECT '', content_hash, analysis_version, provider, model, analysis_json, created_at FROM results;
DROP TABLE results;
ALTER TABLE results_by_tenant RENAME TO results;

-- PostgreSQL flavour of db/migration/sqlite/V006__server.sql: ids TEXT COLLATE "C", instants BIGINT
-- epoch milliseconds, as in V001.
CREATE TABLE submissions (
    batch_id     TEXT COLLATE "C" PRIMARY KEY REFERENCES batches (id) ON DELETE CASCADE,
    tenant       TEXT,                          -- null when the service runs without API keys
    on_duplicate TEXT    NOT NULL CHECK (on_duplicate IN ('skip', 'replace', 'allow_duplicates')),
    priority     TEXT    NOT NULL CHECK (priority IN ('high', 'normal', 'low')),
    max_attempts INTEGER                        -- null: the service's max-attempts
);

-- a tenant's batches, newest first (batch ids sort by time)
CREATE INDEX submissions_by_tenant ON submissions (tenant, batch_id);

ALTER TABLE meetings ADD COLUMN tier TEXT NOT NULL DEFAULT 'ordinary' CHECK (tier IN ('ordinary', 'sensitive'));

CREATE TABLE api_keys (
    key_hash   TEXT   PRIMARY KEY,              -- hex SHA-256 of the key; the key itself is never stored
    tenant     TEXT   NOT NULL,
    created_at BIGINT NOT NULL
);

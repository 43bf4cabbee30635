-- Deduplication and the result cache.
-- A batch's tier: sensitive meetings go only to providers allowed to see them; title dedup is per tier.
ALTER TABLE batches ADD COLUMN tier TEXT NOT NULL DEFAULT 'ordinary' CHECK (tier IN ('ordinary', 'sensitive'));
-- A meeting skipped as a duplicate points to the meeting whose result it shows; a meeting whose result
-- a later duplicate (on_duplicate=replace) replaced points to that one. No foreign key: retention
-- purges batches one by one, and a pointer to a purged meeting reads as no result.
ALTER TABLE meetings ADD COLUMN duplicate_of TEXT;
ALTER TABLE meetings ADD COLUMN replaced_by TEXT;
-- meeting_find_original.sql looks up by content hash and by title
CREATE INDEX meetings_by_content_hash ON meetings (content_hash);
CREATE INDEX meetings_by_title ON meetings (title);

-- Analyses already paid for (ResultCache): the same transcript, analysis version, provider and model
-- is never sent again.
CREATE TABLE results (
    content_hash     TEXT    NOT NULL,
    analysis_version TEXT    NOT NULL,
    provider         TEXT    NOT NULL,
    model            TEXT    NOT NULL,
    analysis_json    TEXT    NOT NULL,
    created_at       INTEGER NOT NULL,
    PRIMARY KEY (content_hash, analysis_version, provider, model)
);

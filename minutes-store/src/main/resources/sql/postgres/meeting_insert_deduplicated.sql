-- on_duplicate=skip in one statement a meeting: meeting_find_original.sql's lookup, then meeting_insert.sql,
-- skipped as a duplicate when an original was found. The store sends a page of these as one JDBC batch
-- (one round trip); each statement sees the meetings the ones before it inserted, so a meeting still
-- finds a duplicate of itself earlier in its own batch. Only a meeting to be processed (:state queued)
-- is looked up; :match_title is null for a meeting without a title of its own (NULL = NULL is never true).
-- PostgreSQL: the parameters are cast: in INSERT ... SELECT a NULL parameter has no type of its own.
-- The candidates are read first (MATERIALIZED) through the content-hash and title indexes: a fresh
-- schema has no statistics while its first batch is stored, and the planner then went from the batches
-- to all of the new batch's meetings for every meeting inserted (a 100,000-meeting batch was still
-- being stored after 7 minutes). state || '' keeps the state indexes out of it: with no statistics
-- the planner also ANDed in every queued meeting from meetings_leases.
WITH candidates AS MATERIALIZED (
    SELECT id, batch_id, source, created_at, idx
    FROM meetings
    WHERE content_hash = CAST(:content_hash AS TEXT)
      AND duplicate_of IS NULL AND replaced_by IS NULL AND state || '' IN ('queued', 'running', 'completed')
      AND CAST(:state AS TEXT) = 'queued'
    UNION ALL
    SELECT id, batch_id, source, created_at, idx
    FROM meetings
    WHERE title = CAST(:match_title AS TEXT) AND tier = CAST(:tier AS TEXT)
      AND duplicate_of IS NULL AND replaced_by IS NULL AND state || '' IN ('queued', 'running', 'completed')
      AND CAST(:state AS TEXT) = 'queued'
),
original AS (
    SELECT c.id, c.batch_id, c.source
    FROM candidates c
    JOIN batches b ON b.id = c.batch_id
    LEFT JOIN submissions s ON s.batch_id = c.batch_id
    WHERE s.tenant IS NOT DISTINCT FROM CAST(:tenant AS TEXT)
      AND b.analyzer IS NOT DISTINCT FROM CAST(:analyzer AS TEXT)
    ORDER BY c.created_at DESC, c.idx DESC
    LIMIT 1
)
INSERT INTO meetings (id, batch_id, idx, source, title, content_hash, state, attempt_count, not_before,
                      transcript_json, blob_key, media_type, skip_reason, failure_kind, failure_message, failure_retry_after_ms,
                      duplicate_of, tier, max_attempts, lane, language, template, meeting_date, created_at, updated_at)
SELECT CAST(:id AS TEXT), CAST(:batch_id AS TEXT), CAST(:idx AS INTEGER), CAST(:source AS TEXT), CAST(:title AS TEXT),
       CAST(:content_hash AS TEXT),
       CASE WHEN o.id IS NULL THEN CAST(:state AS TEXT) ELSE 'skipped' END,
       0,
       CASE WHEN o.id IS NULL THEN CAST(:not_before AS BIGINT) END,
       CAST(:transcript_json AS TEXT), CAST(:blob_key AS TEXT), CAST(:media_type AS TEXT),
       CASE WHEN o.id IS NULL THEN CAST(:skip_reason AS TEXT)
            ELSE 'duplicate of ' || o.source || ' (meeting ' || o.id || ', batch ' || o.batch_id
                     || '): shows its result, no provider called' END,
       CAST(:failure_kind AS TEXT), CAST(:failure_message AS TEXT), CAST(:failure_retry_after_ms AS BIGINT),
       o.id, CAST(:tier AS TEXT), CAST(:max_attempts AS INTEGER), CAST(:lane AS TEXT), CAST(:language AS TEXT), CAST(:template AS TEXT), CAST(:meeting_date AS TEXT), CAST(:now AS BIGINT), CAST(:now AS BIGINT)
FROM (SELECT 1) AS one
LEFT JOIN original o ON TRUE

-- on_duplicate=skip in one statement a meeting: meeting_find_original.sql's lookup, then meeting_insert.sql,
-- skipped as a duplicate when an original was found. The store sends a page of these as one JDBC batch;
-- each statement sees the meetings the ones before it inserted, so a meeting still finds a duplicate of
-- itself earlier in its own batch. Only a meeting to be processed (:state queued) is looked up;
-- :match_title is null for a meeting without a title of its own (NULL = NULL is never true).
-- SQLite's IS compares NULLs as equal (PostgreSQL: IS NOT DISTINCT FROM), and its parameters need no casts.
WITH original AS (
    SELECT m.id, m.batch_id, m.source
    FROM meetings m
    JOIN batches b ON b.id = m.batch_id
    LEFT JOIN submissions s ON s.batch_id = m.batch_id
    WHERE :state = 'queued'
      AND m.duplicate_of IS NULL
      AND m.replaced_by IS NULL
      AND m.state IN ('queued', 'running', 'waiting', 'completed')
      AND (m.content_hash = :content_hash OR (m.title = :match_title AND m.tier = :tier))
      AND s.tenant IS :tenant
      AND b.analyzer IS :analyzer
    ORDER BY m.created_at DESC, m.idx DESC
    LIMIT 1
)
INSERT INTO meetings (id, batch_id, idx, source, title, content_hash, state, attempt_count, not_before,
                      transcript_json, blob_key, media_type, skip_reason, failure_kind, failure_message, failure_retry_after_ms,
                      duplicate_of, tier, max_attempts, lane, language, template, meeting_date, created_at, updated_at)
SELECT :id, :batch_id, :idx, :source, :title, :content_hash,
       CASE WHEN o.id IS NULL THEN :state ELSE 'skipped' END,
       0,
       CASE WHEN o.id IS NULL THEN :not_before END,
       :transcript_json, :blob_key, :media_type,
       CASE WHEN o.id IS NULL THEN :skip_reason
            ELSE 'duplicate of ' || o.source || ' (meeting ' || o.id || ', batch ' || o.batch_id
                     || '): shows its result, no provider called' END,
       :failure_kind, :failure_message, :failure_retry_after_ms,
       o.id, :tier, :max_attempts, :lane, :language, :template, :meeting_date, :now, :now
FROM (SELECT 1) AS one
LEFT JOIN original o ON TRUE

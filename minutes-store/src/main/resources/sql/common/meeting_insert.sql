INSERT INTO meetings (id, batch_id, idx, source, title, content_hash, state, attempt_count, not_before,
                      transcript_json, blob_key, media_type, skip_reason, failure_kind, failure_message, failure_retry_after_ms,
                      duplicate_of, tier, max_attempts, lane, language, template, meeting_date, created_at, updated_at)
VALUES (:id, :batch_id, :idx, :source, :title, :content_hash, :state, 0, :not_before,
        :transcript_json, :blob_key, :media_type, :skip_reason, :failure_kind, :failure_message, :failure_retry_after_ms,
        :duplicate_of, :tier, :max_attempts, :lane, :language, :template, :meeting_date, :now, :now)

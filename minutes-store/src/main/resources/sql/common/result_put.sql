INSERT INTO results (tenant, content_hash, analysis_version, provider, model, analysis_json, created_at)
VALUES (COALESCE(:tenant, ''), :content_hash, :analysis_version, :provider, :model, :analysis_json, :now)
ON CONFLICT (tenant, content_hash, analysis_version, provider, model)
    DO UPDATE SET analysis_json = excluded.analysis_json, created_at = excluded.created_at

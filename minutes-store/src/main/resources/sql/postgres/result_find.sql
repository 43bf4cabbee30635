SELECT analysis_json
FROM results
WHERE content_hash = :content_hash
  AND analysis_version = :analysis_version
  AND provider = :provider
  AND model = :model

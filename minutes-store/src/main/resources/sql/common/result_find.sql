SELECT analysis_json
FROM results
WHERE tenant = COALESCE(:tenant, '') -- '': no tenant (the CLI, a service without API keys)
  AND content_hash = :content_hash
  AND analysis_version = :analysis_version
  AND provider = :provider
  AND model = :model

INSERT INTO provider_batches (id, provider, model, state, lines, enqueued_tokens, intended_at, lease_owner,
                              lease_expires_at, updated_at)
VALUES (:id, :provider, :model, 'intended', :lines, :enqueued_tokens, :now, :owner, :lease_expires_at, :now)

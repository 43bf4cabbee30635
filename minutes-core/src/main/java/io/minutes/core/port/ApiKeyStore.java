package io.minutes.core.port;


import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The HTTP service's API keys as stored: hashes and their tenants. Part of every {@link MeetingStore}. */
public interface ApiKeyStore {

    /**
     * Stores an API key's hash for a tenant. The first key's tenant also becomes the owner of every batch
     * stored before it (submitted without a key, or made by {@code minutes run}), which would otherwise
     * be visible to no tenant.
     */
    record ApiKeyCreateParams(String tenant, String keyHash, Instant now) {
    }

    /** A stored API key: its hash (the key itself is never stored), whose it is, and since when. */
    record ApiKey(String keyHash, String tenant, Instant createdAt) {
    }

    /** Removes the key with this hash: requests with it are refused from then on. */
    record ApiKeyRevokeParams(String keyHash) {
    }


    void apiKeyCreate(ApiKeyCreateParams params);

    /** The tenant whose key has this hash. */
    Optional<String> apiKeyTenant(String keyHash);

    int apiKeysCount();

    /** Every API key, oldest first. */
    List<ApiKey> apiKeysList();

    /** @return whether a key was removed (false: no key has that hash) */
    boolean apiKeyRevoke(ApiKeyRevokeParams params);
}

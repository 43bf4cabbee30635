package io.minutes.providers.batch;

import io.minutes.core.domain.Failure;
import io.minutes.providers.http.ErrorKind;
import io.minutes.providers.http.ProviderException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The providers' early-404 quirk: a batch read seconds after it was created may not be found yet. A 404 for a
 * batch is transient unless this client knows it was created longer than {@code grace} ago (a batch created by
 * another node before a crash is not known here: its 404 is transient too, bounded by the engine's attempts).
 */
public final class RecentBatches {
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

    private final Map<String, Instant> createdAt = new ConcurrentHashMap<>();
    private final Duration grace;
    private final Clock clock;

    public RecentBatches(Duration grace, Clock clock) {
        this.grace = grace;
        this.clock = clock;
    }

    public void seen(String id, Instant created) {
        if (id != null && created != null) createdAt.put(id, created);
    }

    /** {@code e} (a failed read of batch {@code id}) as the engine should see it. */
    public ProviderException notFound(String id, ProviderException e) {
        if (e.status() != 404) return e;
        Instant created = createdAt.get(id);
        if (created != null && Duration.between(created, clock.instant()).compareTo(grace) > 0) return e;
        return new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.SERVER_ERROR, 404, "batch " + id
                + " was not found (HTTP 404) " + (created == null ? "" : Duration.between(created, clock.instant()).toSeconds()
                + " s after it was created ") + "; a batch created moments ago may not be readable yet: read again later", null);
    }
}

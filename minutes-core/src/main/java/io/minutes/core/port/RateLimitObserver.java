package io.minutes.core.port;

import io.minutes.core.domain.RateLimitSnapshot;

import java.time.Duration;

/**
 * Provider adapters tell the scheduler what they learn about the provider's rate limits, from every
 * response: the headers (re-sync the token buckets) and a 429 (pause every call to that provider
 * until {@code retryAfter}). Called from many threads; must not block.
 */
public interface RateLimitObserver {

    void observed(String provider, RateLimitSnapshot snapshot);

    /** {@code retryAfter} is null when the provider did not say how long to wait. */
    void rateLimited(String provider, Duration retryAfter);

    RateLimitObserver NONE = new RateLimitObserver() {
        @Override
        public void observed(String provider, RateLimitSnapshot snapshot) {
        }

        @Override
        public void rateLimited(String provider, Duration retryAfter) {
        }
    };
}

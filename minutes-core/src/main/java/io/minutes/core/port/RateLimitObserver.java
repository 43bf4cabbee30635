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

    /**
     * {@code observer}, except that it never fails the call that told it: an answer the provider was paid
     * for is not lost because the rate limits are kept in a store that cannot be reached right now.
     */
    static RateLimitObserver neverFailing(RateLimitObserver observer) {
        return neverFailing(observer, e -> { });
    }

    /** The same, telling {@code failed} what went wrong (so that a store outage is reported). */
    static RateLimitObserver neverFailing(RateLimitObserver observer, java.util.function.Consumer<RuntimeException> failed) {
        return new RateLimitObserver() {
            @Override
            public void observed(String provider, RateLimitSnapshot snapshot) {
                try {
                    observer.observed(provider, snapshot);
                } catch (RuntimeException e) {
                    failed.accept(e);
                    org.slf4j.LoggerFactory.getLogger(RateLimitObserver.class)
                            .debug("could not record the rate limits {} sent: {}", provider, e.toString());
                }
            }

            @Override
            public void rateLimited(String provider, Duration retryAfter) {
                try {
                    observer.rateLimited(provider, retryAfter);
                } catch (RuntimeException e) {
                    failed.accept(e);
                    org.slf4j.LoggerFactory.getLogger(RateLimitObserver.class)
                            .debug("could not record the rate limit {} refused a call with: {}", provider, e.toString());
                }
            }
        };
    }

    RateLimitObserver NONE = new RateLimitObserver() {
        @Override
        public void observed(String provider, RateLimitSnapshot snapshot) {
        }

        @Override
        public void rateLimited(String provider, Duration retryAfter) {
        }
    };
}

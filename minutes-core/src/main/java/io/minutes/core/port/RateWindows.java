package io.minutes.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * What the throttles have learned of how a provider enforces its per-minute limits, kept in the store
 * so that every node sharing it, and the next run, pace that provider as the first node learned to:
 * once a 429 shows that the provider quantises its minute into seconds, all of them pace per second
 * (for as long as the throttle trusts what was learned).
 * Keyed by the provider as the throttle names it, like the rate-limit buckets.
 */
public interface RateWindows {

    /** When a node last learned that {@code provider} enforces its limits per second; empty if none has. */
    Optional<Instant> rateWindowPerSecondSince(String provider);

    /** {@code provider} enforces its limits per second, as learned at {@code at}; the latest time learned is kept. */
    void rateWindowPerSecondLearned(String provider, Instant at);

    /** Nothing kept: each throttle learns on its own. */
    RateWindows NONE = new RateWindows() {
        @Override
        public Optional<Instant> rateWindowPerSecondSince(String provider) {
            return Optional.empty();
        }

        @Override
        public void rateWindowPerSecondLearned(String provider, Instant at) {
        }
    };
}

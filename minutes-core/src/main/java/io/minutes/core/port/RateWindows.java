package io.minutes.core.port;

import java.time.Instant;
import java.util.Optional;

/**
 * What the throttles have learned of how a provider enforces its per-minute limits, kept in the store
 * so that every node sharing it, and the next run, pace that provider as the first node learned to:
 * once a 429 shows that the provider quantises its minute into seconds, all of them pace per second
 * (for as long as the throttle trusts what was learned).
 *
 * <p>Keyed by the provider and the model, as the throttle names them (a provider with no models is its
 * own model): OpenAI sets and enforces its rate limits per model (some model families share one) and
 * Anthropic per model class, so how one model's limit was found to be enforced says nothing certain of
 * another's, and pacing a model per second for another's 429 would cost it the minute's burst its own
 * limit allows.
 */
public interface RateWindows {

    /** When a node last learned that {@code provider} enforces {@code model}'s limits per second; empty if none has. */
    Optional<Instant> rateWindowPerSecondSince(String provider, String model);

    /** {@code provider} enforces {@code model}'s limits per second, as learned at {@code at}; the latest time learned is kept. */
    void rateWindowPerSecondLearned(String provider, String model, Instant at);

    /** Nothing kept: each throttle learns on its own. */
    RateWindows NONE = new RateWindows() {
        @Override
        public Optional<Instant> rateWindowPerSecondSince(String provider, String model) {
            return Optional.empty();
        }

        @Override
        public void rateWindowPerSecondLearned(String provider, String model, Instant at) {
        }
    };
}

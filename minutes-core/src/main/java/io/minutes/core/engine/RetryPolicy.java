package io.minutes.core.engine;

import io.minutes.core.domain.Failure;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * When to try a meeting again: transient failures are retried until {@code maxAttempts} attempts in
 * all, each after an exponential backoff with full jitter (a random delay between zero and
 * {@code min(maxDelay, baseDelay * 2^(attempt-1))}), never sooner than the provider's retry-after.
 * Permanent failures are never retried.
 */
public final class RetryPolicy {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final RandomGenerator random;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.baseDelay = b.baseDelay;
        this.maxDelay = b.maxDelay;
        this.random = b.random;
    }

    public static RetryPolicy ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** What to do after attempt number {@code attempt} (1-based) failed with {@code failure}. */
    public Decision decide(int attempt, Failure failure) {
        return decide(attempt, maxAttempts, failure);
    }

    /**
     * The same with another budget than this policy's {@code maxAttempts}: a batch submitted with
     * its own (the backoff stays this policy's).
     */
    public Decision decide(int attempt, int maxAttempts, Failure failure) {
        if (!failure.isTransient() || attempt >= maxAttempts) return Decision.GIVE_UP;
        Duration ceiling = backoffCeiling(attempt);
        Duration delay = Duration.ofMillis(ceiling.toMillis() <= 0 ? 0 : random.nextLong(ceiling.toMillis() + 1));
        if (failure.retryAfter() != null && failure.retryAfter().compareTo(delay) > 0) delay = failure.retryAfter();
        return new Decision(true, delay);
    }

    /** The upper bound of the jittered delay after attempt {@code attempt}. */
    Duration backoffCeiling(int attempt) {
        long base = baseDelay.toMillis();
        long max = maxDelay.toMillis();
        int doublings = attempt - 1;
        if (base == 0) return Duration.ZERO;
        if (doublings >= 62 || base > (max >> doublings)) return maxDelay;
        return Duration.ofMillis(base << doublings);
    }

    /** {@code retry} false means the failure is final. */
    public record Decision(boolean retry, Duration delay) {
        static final Decision GIVE_UP = new Decision(false, Duration.ZERO);
    }

    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration baseDelay = DEFAULT_BASE_DELAY;
        private Duration maxDelay = DEFAULT_MAX_DELAY;
        private RandomGenerator random = RandomGenerator.getDefault();

        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1) throw new IllegalArgumentException("max attempts must be >= 1, got " + maxAttempts);
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder baseDelay(Duration baseDelay) {
            if (baseDelay.isNegative()) throw new IllegalArgumentException("base delay must be >= 0, got " + baseDelay);
            this.baseDelay = baseDelay;
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            if (maxDelay.isNegative()) throw new IllegalArgumentException("max delay must be >= 0, got " + maxDelay);
            this.maxDelay = maxDelay;
            return this;
        }

        public Builder random(RandomGenerator random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        public RetryPolicy build() {
            if (maxDelay.compareTo(baseDelay) < 0) {
                throw new IllegalArgumentException("max delay " + maxDelay + " is shorter than base delay " + baseDelay);
            }
            return new RetryPolicy(this);
        }
    }
}

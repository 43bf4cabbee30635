package io.minutes.core.engine;

import io.minutes.core.domain.Failure;

import io.minutes.core.port.MeetingQueue;
import io.minutes.core.port.MeetingQueue.LostLease;
import io.minutes.core.port.MeetingQueue.Outcome;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * When to try a meeting again: transient failures are retried until {@code maxAttempts} attempts in
 * all, each after an exponential backoff with full jitter (a random delay between zero and
 * {@code min(maxDelay, baseDelay * 2^(attempt-1))}), never sooner than the provider's retry-after.
 * Permanent failures are never retried.
 *
 * <p>Two kinds of transient failure are not the meeting's own and use none of its attempts:
 * <ul>
 *   <li>a rate limit (a 429): tried again after the provider's retry-after for as long as the
 *       provider keeps refusing it, up to {@code maxRateLimitedFor} of refusals without a break;</li>
 *   <li>a lost lease (the worker holding the meeting crashed or was killed): tried again after the
 *       same backoff, up to {@code maxLeasesLostInARow} in a row, which bounds a meeting that kills
 *       its worker every time;</li>
 *   <li>a flex call refused for capacity: tried in flex again after the backoff ({@link #flexWait}), for as
 *       long as the batch's deadline lets it wait (the pipeline sends it realtime once it does not).</li>
 * </ul>
 */
public final class RetryPolicy {
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_BASE_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofSeconds(60);
    public static final Duration DEFAULT_MAX_RATE_LIMITED_FOR = Duration.ofMinutes(15);
    public static final int DEFAULT_MAX_LEASES_LOST_IN_A_ROW = 5;

    private final int maxAttempts;
    private final Duration baseDelay;
    private final Duration maxDelay;
    private final Duration maxRateLimitedFor;
    private final int maxLeasesLostInARow;
    private final RandomGenerator random;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxRateLimitedFor = b.maxRateLimitedFor;
        this.maxLeasesLostInARow = b.maxLeasesLostInARow;
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
        Duration delay = jittered(attempt);
        if (failure.retryAfter() != null && failure.retryAfter().compareTo(delay) > 0) delay = failure.retryAfter();
        return new Decision(true, delay);
    }

    /**
     * What to do after the provider refused a call for its rate limit, {@code refusedFor} after its
     * first refusal of this meeting without a break: wait its retry-after (or the first backoff when
     * it gave none), or give up once it has refused for {@code maxRateLimitedFor}.
     */
    public Decision decideRateLimited(Duration refusedFor, Failure failure) {
        if (refusedFor.compareTo(maxRateLimitedFor) >= 0) return Decision.GIVE_UP;
        return new Decision(true, failure.retryAfter() != null ? failure.retryAfter() : jittered(1));
    }

    /**
     * How long a meeting whose flex call was refused for capacity waits before it tries flex again: the backoff of
     * its {@code attempt} (every attempt counts here, refusals included, so the wait grows with them up to
     * {@code maxDelay}), never less than the provider's retry-after.
     */
    public Duration flexWait(int attempt, Failure failure) {
        Duration delay = jittered(Math.max(1, attempt));
        return failure.retryAfter() != null && failure.retryAfter().compareTo(delay) > 0 ? failure.retryAfter() : delay;
    }

    /**
     * What to do after a flex call was refused for capacity and the deadline lets the meeting wait: try again after
     * the wait the pipeline chose ({@code failure}'s retry-after, {@link #flexWait}), never giving up and using none of
     * the meeting's attempts.
     */
    public Decision decideFlexUnavailable(Failure failure) {
        return new Decision(true, failure.retryAfter() != null ? failure.retryAfter() : jittered(1));
    }

    public Duration maxRateLimitedFor() {
        return maxRateLimitedFor;
    }

    /**
     * The delay before a meeting whose lease was lost {@code lostInARow} times in a row is tried
     * again (the backoff of that attempt number), or empty once that is {@code maxLeasesLostInARow}.
     */
    public Optional<Duration> afterLeaseLost(int lostInARow) {
        return lostInARow >= maxLeasesLostInARow ? Optional.empty() : Optional.of(jittered(lostInARow));
    }

    /**
     * What becomes of a meeting whose lease was lost (the reaper asks, through
     * {@link MeetingQueue#meetingsReap}, as the dispatcher asks {@link #decide} after any other failure):
     * due again after {@link #afterLeaseLost(int)}, using none of its own attempts, or, after
     * {@code maxLeasesLostInARow} in a row, failed with a message that says so (a crash loop).
     */
    public Outcome afterLeaseLost(LostLease lease, Instant now) {
        return afterLeaseLost(lease.lostInARow())
                .map(delay -> Outcome.retryAt(now.plus(delay), lease.failure()))
                .orElseGet(() -> Outcome.failed(crashLoop(lease.lostInARow())));
    }

    /** Why a meeting whose worker stopped {@code lostInARow} times in a row is not tried again. */
    static Failure crashLoop(int lostInARow) {
        return Failure.of(Failure.Cause.LEASE_LOST, "the worker holding this meeting lost its lease " + lostInARow
                + " times in a row (it stopped, crashed, was killed or was cut off) and it is not tried again, in case it is what stops "
                + "the worker: look at the workers' logs for what stopped them, then run the batch again");
    }

    public int maxLeasesLostInARow() {
        return maxLeasesLostInARow;
    }

    private Duration jittered(int attempt) {
        Duration ceiling = backoffCeiling(attempt);
        return Duration.ofMillis(ceiling.toMillis() <= 0 ? 0 : random.nextLong(ceiling.toMillis() + 1));
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
        private Duration maxRateLimitedFor = DEFAULT_MAX_RATE_LIMITED_FOR;
        private int maxLeasesLostInARow = DEFAULT_MAX_LEASES_LOST_IN_A_ROW;
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

        /** How long a provider may refuse one meeting with 429s without a break before it fails. */
        public Builder maxRateLimitedFor(Duration maxRateLimitedFor) {
            if (maxRateLimitedFor.isNegative()) {
                throw new IllegalArgumentException("max rate-limited time must be >= 0, got " + maxRateLimitedFor);
            }
            this.maxRateLimitedFor = maxRateLimitedFor;
            return this;
        }

        /** How many times in a row a meeting's worker may stop while holding it before it fails. */
        public Builder maxLeasesLostInARow(int maxLeasesLostInARow) {
            if (maxLeasesLostInARow < 1) {
                throw new IllegalArgumentException("max leases lost in a row must be >= 1, got " + maxLeasesLostInARow);
            }
            this.maxLeasesLostInARow = maxLeasesLostInARow;
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

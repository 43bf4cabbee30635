package io.minutes.providers.http;

import io.minutes.core.domain.Failure;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a call made after earlier calls of the same meeting were answered (a later part of a long
 * transcript, its merge, a repair, a later piece of a recording) fails for a reason that passes, it is
 * sent again where it stands rather than sending the meeting back to the queue: the provider has already
 * been paid for the earlier calls, and a meeting sent back would ask them again wherever it runs next.
 * The worker keeps the meeting's lease meanwhile (heartbeats go on).
 *
 * <p>A 429 is sent again after the provider's retry-after (the admission of the call honours the
 * provider-wide pause as well) for up to {@link #RATE_LIMITED_FOR} of refusals; another transient
 * failure (a 5xx, a timeout, a reset) after a jittered exponential backoff, {@link #TRANSIENT_TRIES} times.
 * Past those bounds the failure is the meeting's, and what was answered is kept by the adapter's held answers.
 * One instance follows one call; not thread-safe.
 */
public final class RetryInPlace {
    public static final Duration RATE_LIMITED_FOR = Duration.ofMinutes(2);
    public static final int TRANSIENT_TRIES = 3;
    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration NO_RETRY_AFTER = Duration.ofSeconds(1);

    private final long startedNanos = System.nanoTime();
    private int transientFailures;

    /** How long to wait before sending the call again after {@code failure}, or empty: give up in place. */
    public Optional<Duration> after(Failure failure) {
        if (!failure.isTransient()) return Optional.empty();
        if (failure.rateLimited()) {
            Duration wait = failure.retryAfter() != null ? failure.retryAfter() : NO_RETRY_AFTER;
            Duration refusedFor = Duration.ofNanos(System.nanoTime() - startedNanos);
            return refusedFor.plus(wait).compareTo(RATE_LIMITED_FOR) > 0 ? Optional.empty() : Optional.of(wait);
        }
        if (++transientFailures > TRANSIENT_TRIES) return Optional.empty();
        long ceiling = FIRST_BACKOFF.toMillis() << (transientFailures - 1);
        Duration backoff = Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
        return Optional.of(failure.retryAfter() != null && failure.retryAfter().compareTo(backoff) > 0
                ? failure.retryAfter() : backoff);
    }

    /** Waits {@code wait}; false when interrupted (the interrupt is kept for the caller). */
    public static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}

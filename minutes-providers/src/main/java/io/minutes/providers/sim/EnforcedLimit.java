package io.minutes.providers.sim;

import java.time.Duration;
import java.util.Locale;

/**
 * One per-minute limit as a provider enforces it, and what its rate-limit headers say of it. Not
 * thread-safe: the caller holds a lock. Times are {@link System#nanoTime()} readings.
 */
public interface EnforcedLimit {

    /**
     * How the minute's limit is enforced. The headers report the minute's view in every case (the
     * limit, what is left of it, when it is full again), as OpenAI's and Anthropic's do, so a client
     * cannot read the window from them.
     */
    enum Window {
        /** At most the limit in any 60 s: a minute's allowance may go in one burst (a generic API gateway). */
        SLIDING("sliding"),
        /** Quantised into seconds: a bucket of one second's allowance, refilled continuously (OpenAI "may"). */
        SECOND("second"),
        /** A bucket of the minute's allowance refilled continuously at the minute's rate (Anthropic). */
        BUCKET("bucket");

        public final String wireName;

        Window(String wireName) {
            this.wireName = wireName;
        }

        public static Window fromWire(String raw) {
            for (Window w : values()) if (w.wireName.equals(raw.strip().toLowerCase(Locale.ROOT))) return w;
            throw new IllegalArgumentException("must be one of sliding, second, bucket, got '" + raw + "'");
        }
    }

    static EnforcedLimit of(Window window, long perMinute, long nowNanos) {
        return switch (window) {
            case SLIDING -> new SlidingWindowLimit(perMinute, nowNanos);
            case SECOND -> new MinuteLimit(perMinute, nowNanos);
            case BUCKET -> new TokenBucketLimit(perMinute, nowNanos);
        };
    }

    long perMinute();

    /** Nanoseconds until {@code cost} may be taken; 0 when it may now. A cost above the limit goes when nothing is used. */
    long nanosUntil(long cost, long nowNanos);

    void take(long cost, long nowNanos);

    /** What is left of the minute's allowance (the {@code x-ratelimit-remaining-*} header). */
    long remaining(long nowNanos);

    /** How long until the allowance is full again (the {@code x-ratelimit-reset-*} header). */
    Duration reset(long nowNanos);
}

package io.minutes.core.domain;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Why an attempt did not produce minutes. {@code retryAfter} is the provider's own hint (e.g. a
 * 429's retry-after); the retry policy never schedules a retry sooner than that. {@code rateLimited}:
 * the provider refused the call for its rate limit (a 429), so the attempt is not the meeting's fault
 * and does not use one of its attempts (it is transient).
 */
public record Failure(Kind kind, String message, Duration retryAfter, boolean rateLimited) {

    public enum Kind {
        /** Worth another attempt: timeouts, resets, 5xx, a lease lost to a crash. */
        TRANSIENT,
        /** Another attempt would fail the same way: unreadable input, a 4xx, an invalid answer. */
        PERMANENT;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind fromWire(String name) {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
    }

    public Failure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(message, "message");
        if (rateLimited && kind != Kind.TRANSIENT) throw new IllegalArgumentException("a rate limit is transient");
    }

    public Failure(Kind kind, String message, Duration retryAfter) {
        this(kind, message, retryAfter, false);
    }

    /** A 429: the provider asks to wait {@code retryAfter} (null when it did not say). */
    public static Failure rateLimited(String message, Duration retryAfter) {
        return new Failure(Kind.TRANSIENT, message, retryAfter, true);
    }

    public static Failure transientFailure(String message) {
        return new Failure(Kind.TRANSIENT, message, null);
    }

    public static Failure permanent(String message) {
        return new Failure(Kind.PERMANENT, message, null);
    }

    public boolean isTransient() {
        return kind == Kind.TRANSIENT;
    }
}

package io.minutes.core.domain;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Why an attempt did not produce minutes. {@code retryAfter} is the provider's own hint (e.g. a
 * 429's retry-after); the retry policy never schedules a retry sooner than that.
 */
public record Failure(Kind kind, String message, Duration retryAfter) {

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

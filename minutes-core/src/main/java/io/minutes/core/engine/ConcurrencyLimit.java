package io.minutes.core.engine;

import java.time.Duration;

/**
 * How many provider calls may be in flight at once: a fixed number, or one that adapts to what the
 * provider answers ({@link AimdConcurrency}). Told about every call's outcome.
 */
public interface ConcurrencyLimit {

    int current();

    /** A call succeeded after {@code rtt} with {@code inFlight} calls running (itself included). */
    default void succeeded(Duration rtt, int inFlight) {
    }

    /** A call failed in a way that says the provider is overloaded ({@link io.minutes.core.domain.Failure#signalsOverload()}): too much may be in flight. */
    default void dropped() {
    }

    static ConcurrencyLimit fixed(int limit) {
        if (limit < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + limit);
        return () -> limit;
    }
}

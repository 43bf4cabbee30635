package io.minutes.core.engine;

import java.time.Duration;

/**
 * How many provider calls may be in flight at once: a fixed number, or one that adapts to what the
 * provider answers and what its rate limits let start ({@link AimdConcurrency}). Told about every call's
 * outcome, and, before each claim, about the rate limits' room.
 */
public interface ConcurrencyLimit {

    int current();

    /** A call succeeded after {@code rtt} with {@code inFlight} calls running (itself included). */
    default void succeeded(Duration rtt, int inFlight) {
    }

    /** A call failed in a way that says the provider is overloaded ({@link io.minutes.core.domain.Failure#signalsOverload()}): too much may be in flight. */
    default void dropped() {
    }

    /**
     * The rate limits ({@link Admission}) would let {@code startable} more calls start now, beside the
     * {@code inFlight} running: asked before each claim, with {@code startable} at most what the most
     * slots allow.
     */
    default void rateAllows(int inFlight, int startable) {
    }

    static ConcurrencyLimit fixed(int limit) {
        if (limit < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + limit);
        return () -> limit;
    }
}

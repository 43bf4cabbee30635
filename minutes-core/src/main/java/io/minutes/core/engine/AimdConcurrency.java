package io.minutes.core.engine;

import java.time.Duration;

/**
 * Additive increase, multiplicative decrease: one more slot for each success while at least half
 * the slots are in use, {@code backoff} times fewer after a refused or failed call, always within
 * 1..max. Written here rather than taken from Netflix concurrency-limits because core stays free of
 * dependencies and the rate limits are already kept by the {@link Throttle}: this only has to open
 * enough slots for the calls the throttle admits (rate x latency) and close them when the provider
 * pushes back.
 */
public final class AimdConcurrency implements ConcurrencyLimit {
    static final int INITIAL = 20;
    private final int max;
    private final double backoff;
    private double limit;

    public AimdConcurrency(int initial, int max, double backoff) {
        if (max < 1 || initial < 1 || initial > max) {
            throw new IllegalArgumentException("need 1 <= initial <= max, got initial " + initial + ", max " + max);
        }
        if (!(backoff > 0 && backoff < 1)) throw new IllegalArgumentException("backoff must be within (0, 1), got " + backoff);
        this.max = max;
        this.backoff = backoff;
        this.limit = initial;
    }

    /** Starts at 20 (Netflix concurrency-limits' initial limit) or {@code max} if lower. */
    public AimdConcurrency(int max) {
        this(Math.min(INITIAL, max), max, 0.9);
    }

    @Override
    public synchronized int current() {
        return (int) limit;
    }

    @Override
    public synchronized void succeeded(Duration rtt, int inFlight) {
        if (inFlight * 2 >= (int) limit) limit = Math.min(max, limit + 1);
    }

    @Override
    public synchronized void dropped() {
        limit = Math.max(1, limit * backoff);
    }
}

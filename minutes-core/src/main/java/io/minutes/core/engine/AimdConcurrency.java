package io.minutes.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Additive increase, multiplicative decrease: one more slot for each success while at least half
 * the slots are in use, {@code backoff} times fewer after a failed call, always within 1..max. Under
 * it, a floor from Little's law: the calls in flight that the rate the calls are answered at needs
 * (rate x mean latency), with {@link #HEADROOM}, so that the slots are never what holds the rate back.
 * When they are, the answers come at slots / latency and the floor is {@link #HEADROOM} times the
 * slots: it grows each round trip until the rate limit (the {@link Throttle}) or the provider holds
 * the rate instead. Written here rather than taken from Netflix concurrency-limits because core stays
 * free of dependencies and the rate limits are already kept by the {@link Throttle}: this only has to
 * open enough slots for the calls the throttle admits and close them when the provider pushes back.
 */
public final class AimdConcurrency implements ConcurrencyLimit {
    static final int INITIAL = 20;
    /** In flight beyond rate x latency: room for the latency's spread and for the rate to grow. */
    static final double HEADROOM = 1.5;
    private static final Duration MIN_WINDOW = Duration.ofMillis(100);
    private static final Duration MAX_WINDOW = Duration.ofSeconds(10);
    private static final double LATENCY_WEIGHT = 0.2;
    private final int max;
    private final double backoff;
    private final Clock clock;
    private final Deque<Instant> answers = new ArrayDeque<>();
    private double limit;
    private double latencyNanos;

    public AimdConcurrency(int initial, int max, double backoff, Clock clock) {
        if (max < 1 || initial < 1 || initial > max) {
            throw new IllegalArgumentException("need 1 <= initial <= max, got initial " + initial + ", max " + max);
        }
        if (!(backoff > 0 && backoff < 1)) throw new IllegalArgumentException("backoff must be within (0, 1), got " + backoff);
        this.max = max;
        this.backoff = backoff;
        this.clock = clock;
        this.limit = initial;
    }

    public AimdConcurrency(int initial, int max, double backoff) {
        this(initial, max, backoff, Clock.systemUTC());
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
        double nanos = rtt.toNanos();
        latencyNanos = latencyNanos == 0 ? nanos : (1 - LATENCY_WEIGHT) * latencyNanos + LATENCY_WEIGHT * nanos;
        answered();
        if (inFlight * 2 >= (int) limit) limit = Math.min(max, limit + 1);
        limit = Math.max(limit, Math.min(max, littlesLaw()));
    }

    @Override
    public synchronized void dropped() {
        answered();
        limit = Math.max(1, limit * backoff);
    }

    private void answered() {
        Instant now = clock.instant();
        answers.addLast(now);
        Instant since = now.minus(window());
        while (!answers.peekFirst().isAfter(since)) answers.pollFirst();
    }

    /**
     * The answers of the last latency tell the rate: one round trip's worth, so that while the slots
     * grow the rate is not the older, slower rounds'.
     */
    private Duration window() {
        long nanos = Math.clamp((long) latencyNanos, MIN_WINDOW.toNanos(), MAX_WINDOW.toNanos());
        return Duration.ofNanos(nanos);
    }

    /** Rate x latency x headroom. */
    private double littlesLaw() {
        double perNano = answers.size() / (double) window().toNanos();
        return Math.ceil(perNano * latencyNanos * HEADROOM);
    }
}

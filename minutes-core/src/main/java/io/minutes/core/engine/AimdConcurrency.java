package io.minutes.core.engine;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * As many slots as the rate limits let calls start, fewer while the provider is overloaded, never fewer
 * than the rate the calls are answered at needs.
 *
 * <ul>
 *   <li><b>What the rate limits let start.</b> Before each claim the dispatcher says how many more calls
 *       the {@link Throttle} would admit now ({@link #rateAllows}), and the slots follow it: those in
 *       flight plus those, up to {@code max}. A provider that lets a minute's allowance go in a burst gets
 *       the burst at once, at the start and whenever its headers say the allowance grew, rather than slots
 *       growing round trip by round trip from a guess. Where the throttle is the limit, the slots stay at
 *       what it lets start and do not run ahead of it: a meeting claimed only to wait for the throttle would
 *       hold its lease waiting, and one that makes several calls would wait behind more meetings.</li>
 *   <li><b>Overload.</b> A call that says the provider is overloaded (a timeout or a 5xx, {@link #dropped})
 *       takes {@code backoff} of the slots, once a round trip: the calls in flight together answer the same
 *       overload, as the throttle counts a 429 episode once. Until a round trip passes without one the
 *       rate limits do not open the slots again; meanwhile they grow additively, one for each success
 *       while at least half are in use, always within 1..max.</li>
 *   <li><b>Little's law.</b> Never fewer slots than the calls in flight that the rate the calls are
 *       answered at needs (rate x mean latency), with {@link #HEADROOM}: the slots are never what holds
 *       the rate back. While they are, answers come at slots / latency and this floor is {@link #HEADROOM}
 *       times the slots: it grows each round trip until the rate limit or the provider holds the rate.</li>
 * </ul>
 *
 * Written here rather than taken from Netflix concurrency-limits because core stays free of dependencies
 * and the rate limits are already kept by the {@link Throttle}: this only has to open the slots for the
 * calls the throttle admits and close them when the provider pushes back.
 */
public final class AimdConcurrency implements ConcurrencyLimit {
    /** The slots before the rate limits were first asked (Netflix concurrency-limits' initial limit). */
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
    /** Rate x latency x headroom, as of the last answer. */
    private double littlesLaw;
    private Instant lastDrop = Instant.MIN;
    private Instant lastDecrease = Instant.MIN;

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

    /** Starts at 20 or {@code max} if lower, until the rate limits say what can start. */
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
        littlesLaw = littlesLaw();
        limit = Math.max(limit, Math.min(max, littlesLaw));
    }

    @Override
    public synchronized void dropped() {
        answered();
        Instant now = clock.instant();
        lastDrop = now;
        if (now.isBefore(lastDecrease.plus(window()))) return; // the same overload
        lastDecrease = now;
        limit = Math.max(1, limit * backoff);
    }

    @Override
    public synchronized void rateAllows(int inFlight, int startable) {
        if (clock.instant().isBefore(lastDrop.plus(window()))) return; // overloaded a round trip ago: AIMD's slots
        limit = Math.clamp(Math.max(littlesLaw, (double) inFlight + startable), 1, max);
    }

    private void answered() {
        Instant now = clock.instant();
        answers.addLast(now);
        Instant since = now.minus(window());
        while (!answers.peekFirst().isAfter(since)) answers.pollFirst();
    }

    /**
     * A round trip: the answers of the last one tell the rate, so that while the slots grow the rate is
     * not the older, slower rounds'.
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

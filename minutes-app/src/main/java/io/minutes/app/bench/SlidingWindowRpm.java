package io.minutes.app.bench;

import io.minutes.core.engine.Admission;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The usual limiter, for comparison: at most {@code rpm} calls started in any 60-second window. It
 * lets a minute's allowance go out in one burst and knows nothing of tokens.
 */
final class SlidingWindowRpm implements Admission {
    private static final Duration WINDOW = Duration.ofMinutes(1);
    private final long rpm;
    private final Clock clock;
    private final Deque<Instant> started = new ArrayDeque<>();

    SlidingWindowRpm(long rpm, Clock clock) {
        this.rpm = rpm;
        this.clock = clock;
    }

    @Override
    public synchronized int startable(int wanted) {
        Instant cutoff = clock.instant().minus(WINDOW);
        while (!started.isEmpty() && started.peekFirst().isBefore(cutoff)) started.pollFirst();
        return (int) Math.max(0, Math.min(wanted, rpm - started.size()));
    }

    @Override
    public synchronized void claimed(int count) {
        Instant now = clock.instant();
        for (int i = 0; i < count; i++) started.addLast(now);
    }

    @Override
    public synchronized Duration untilStartable() {
        if (started.isEmpty()) return Duration.ZERO;
        Duration wait = Duration.between(clock.instant(), started.peekFirst().plus(WINDOW));
        return wait.isNegative() ? Duration.ZERO : wait;
    }
}

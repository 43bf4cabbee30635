package io.minutes.providers.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/** At most the limit taken in any 60 seconds: a log of what was taken when. */
final class SlidingWindowLimit implements EnforcedLimit {
    private static final long WINDOW_NANOS = 60_000_000_000L;
    private final long perMinute;
    private final Deque<long[]> taken = new ArrayDeque<>(); // {at, cost}
    private long used;

    SlidingWindowLimit(long perMinute, long nowNanos) {
        this.perMinute = perMinute;
    }

    @Override
    public long perMinute() {
        return perMinute;
    }

    private void expire(long nowNanos) {
        while (!taken.isEmpty() && nowNanos - taken.peekFirst()[0] >= WINDOW_NANOS) used -= taken.pollFirst()[1];
    }

    @Override
    public long nanosUntil(long cost, long nowNanos) {
        expire(nowNanos);
        long need = Math.min(cost, perMinute);
        if (used + need <= perMinute) return 0;
        long freed = 0;
        for (long[] t : taken) {
            freed += t[1];
            if (used - freed + need <= perMinute) return Math.max(1, t[0] + WINDOW_NANOS - nowNanos);
        }
        return WINDOW_NANOS;
    }

    @Override
    public void take(long cost, long nowNanos) {
        expire(nowNanos);
        taken.addLast(new long[]{nowNanos, cost});
        used += cost;
    }

    @Override
    public long remaining(long nowNanos) {
        expire(nowNanos);
        return Math.max(0, perMinute - used);
    }

    @Override
    public Duration reset(long nowNanos) {
        expire(nowNanos);
        return taken.isEmpty() ? Duration.ZERO : Duration.ofNanos(taken.peekLast()[0] + WINDOW_NANOS - nowNanos);
    }
}

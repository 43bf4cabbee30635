package io.minutes.providers.sim;

import java.time.Duration;

/** A bucket holding the minute's allowance, refilled continuously at the minute's rate. */
final class TokenBucketLimit implements EnforcedLimit {
    private final long perMinute;
    private final double perNano;
    private double level;
    private long lastNanos;

    TokenBucketLimit(long perMinute, long nowNanos) {
        this.perMinute = perMinute;
        this.perNano = perMinute / 60e9;
        this.level = perMinute;
        this.lastNanos = nowNanos;
    }

    @Override
    public long perMinute() {
        return perMinute;
    }

    private void refill(long nowNanos) {
        level = Math.min(perMinute, level + (nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
    }

    @Override
    public long nanosUntil(long cost, long nowNanos) {
        refill(nowNanos);
        double need = Math.min(cost, perMinute);
        return level >= need ? 0 : (long) Math.ceil((need - level) / perNano);
    }

    @Override
    public void take(long cost, long nowNanos) {
        refill(nowNanos);
        level -= cost;
    }

    @Override
    public long remaining(long nowNanos) {
        refill(nowNanos);
        return Math.max(0, (long) Math.floor(level));
    }

    @Override
    public Duration reset(long nowNanos) {
        refill(nowNanos);
        return Duration.ofNanos((long) Math.ceil((perMinute - level) / perNano));
    }
}

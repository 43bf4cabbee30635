package io.minutes.providers.sim;

import java.time.Duration;

/**
 * How a provider enforces one per-minute limit: per second, as a token bucket holding one second's
 * allowance and refilled continuously (OpenAI: "60,000 requests/minute may be enforced as 1,000
 * requests/second"; Anthropic: a token bucket). A request larger than one second's allowance goes
 * when the bucket is full and leaves it in debt. The headers report the minute's view: the limit,
 * what is left of it and when it is full again. Not thread-safe: the server holds a lock. Public so that
 * tests can stand up a provider that several processes share with the same rules.
 */
public final class MinuteLimit implements EnforcedLimit {
    private final long perMinute;
    private final double perNano;
    private final double secondCapacity;
    private double second;
    private double minute;
    private long lastNanos;

    public MinuteLimit(long perMinute, long nowNanos) {
        this.perMinute = perMinute;
        this.perNano = perMinute / 60e9;
        this.secondCapacity = perMinute / 60.0;
        this.second = secondCapacity;
        this.minute = perMinute;
        this.lastNanos = nowNanos;
    }

    @Override
    public long perMinute() {
        return perMinute;
    }

    private void refill(long nowNanos) {
        double added = (nowNanos - lastNanos) * perNano;
        lastNanos = nowNanos;
        second = Math.min(secondCapacity, second + added);
        minute = Math.min(perMinute, minute + added);
    }

    @Override
    public long nanosUntil(long cost, long nowNanos) {
        refill(nowNanos);
        double need = Math.min(cost, secondCapacity);
        if (second >= need) return 0;
        return (long) Math.ceil((need - second) / perNano);
    }

    public void take(long cost) {
        second -= cost;
        minute -= cost;
    }

    @Override
    public void take(long cost, long nowNanos) {
        refill(nowNanos);
        take(cost);
    }

    public void giveBack(long tokens, long nowNanos) {
        refill(nowNanos);
        second = Math.min(secondCapacity, second + tokens);
        minute = Math.min(perMinute, minute + tokens);
    }

    @Override
    public long remaining(long nowNanos) {
        refill(nowNanos);
        return Math.max(0, (long) Math.floor(minute));
    }

    @Override
    public Duration reset(long nowNanos) {
        refill(nowNanos);
        return Duration.ofNanos((long) Math.ceil((perMinute - minute) / perNano));
    }
}

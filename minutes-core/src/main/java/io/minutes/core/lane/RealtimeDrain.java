package io.minutes.core.lane;

import io.minutes.core.engine.RateLimits;

import java.time.Duration;
import java.util.Objects;

/**
 * How long meetings take through the realtime throttle: bounded by the rate limits (requests and tokens per
 * minute, each call reserving its input tokens plus its output allowance, as the throttle admits it) and by the
 * concurrency (calls in flight, each taking about {@code callLatency}). The slower bound wins; the last call's
 * latency is always paid. Flex calls go through the same throttle, only slower: {@code flexCallLatency}.
 *
 * @param limits          the configured per-minute limits (0: not configured, then that bound is not counted)
 * @param concurrency     the most calls in flight
 * @param callLatency     about how long one realtime call takes
 * @param flexCallLatency about how long one flex call takes
 */
public record RealtimeDrain(RateLimits limits, int concurrency, Duration callLatency, Duration flexCallLatency) {

    public RealtimeDrain {
        Objects.requireNonNull(limits, "limits");
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        if (callLatency.isNegative() || callLatency.isZero()) {
            throw new IllegalArgumentException("call latency must be > 0, got " + callLatency);
        }
        if (flexCallLatency.compareTo(callLatency) < 0) {
            throw new IllegalArgumentException("a flex call is not faster than a realtime one: " + flexCallLatency + " < " + callLatency);
        }
    }

    /** The time {@code calls} realtime calls of {@code inputTokens} and {@code outputTokens} in all take. */
    public Duration time(int calls, long inputTokens, long outputTokens) {
        return time(calls, inputTokens, outputTokens, callLatency);
    }

    /** The same calls in the flex lane. */
    public Duration flexTime(int calls, long inputTokens, long outputTokens) {
        return time(calls, inputTokens, outputTokens, flexCallLatency);
    }

    private Duration time(int calls, long in, long out, Duration latency) {
        if (calls == 0) return Duration.ZERO;
        double minutes = 0;
        minutes = Math.max(minutes, perMinute(calls, limits.requestsPerMinute()));
        minutes = Math.max(minutes, perMinute(in + out, limits.tokensPerMinute()));
        minutes = Math.max(minutes, perMinute(in, limits.inputTokensPerMinute()));
        minutes = Math.max(minutes, perMinute(out, limits.outputTokensPerMinute()));
        Duration byRate = Duration.ofMillis((long) Math.ceil(minutes * 60_000)).plus(latency);
        long rounds = (calls + concurrency - 1L) / concurrency;
        Duration byConcurrency = latency.multipliedBy(rounds);
        return byRate.compareTo(byConcurrency) > 0 ? byRate : byConcurrency;
    }

    private static double perMinute(long amount, long perMinute) {
        return perMinute == 0 ? 0 : (double) amount / perMinute;
    }
}

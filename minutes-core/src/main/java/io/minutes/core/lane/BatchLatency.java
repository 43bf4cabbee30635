package io.minutes.core.lane;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How long this provider's batches take, as the planner counts it: the 95th percentile of how long its batches
 * have taken from create to end (nearest rank), or, before any has ended, a cautious assumed value
 * ({@code batch-latency-assumed}). The providers promise only a window (24 h); public probes of tiny batches put
 * OpenAI's p99 at hours and Anthropic's at tens of minutes, hence the defaults.
 */
public final class BatchLatency {
    /** OpenAI: its 24 h completion window, nothing shorter is promised. */
    public static final Duration OPENAI_ASSUMED = Duration.ofHours(24);
    /** Anthropic: most batches end within an hour, it says; the window is 24 h. */
    public static final Duration ANTHROPIC_ASSUMED = Duration.ofHours(1);

    private final Duration assumed;
    private final List<Duration> observed;

    private BatchLatency(Duration assumed, List<Duration> observed) {
        this.assumed = Objects.requireNonNull(assumed, "assumed");
        if (assumed.isNegative()) throw new IllegalArgumentException("assumed batch latency must be >= 0, got " + assumed);
        this.observed = List.copyOf(observed);
    }

    /** The assumed latency until batches have been seen end; {@code observed}: how long each ended batch took. */
    public static BatchLatency of(Duration assumed, List<Duration> observed) {
        return new BatchLatency(assumed, observed);
    }

    public static BatchLatency assumed(Duration assumed) {
        return new BatchLatency(assumed, List.of());
    }

    /** The 95th percentile of what was observed, or the assumed value when nothing was. */
    public Duration p95() {
        if (observed.isEmpty()) return assumed;
        List<Duration> sorted = new ArrayList<>(observed);
        sorted.sort(null);
        int rank = (int) Math.ceil(0.95 * sorted.size());
        return sorted.get(rank - 1);
    }

    /** Whether {@link #p95} is measured (true) or the assumed default (false). */
    public boolean measured() {
        return !observed.isEmpty();
    }

    public int observations() {
        return observed.size();
    }
}

package io.minutes.server;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.StoreStatus;

import java.util.Locale;

/**
 * The Prometheus registry of {@code /metrics}: meetings by state, queue depth, tokens and cost
 * (read from the store at each scrape, so they hold across restarts and nodes), retries and
 * finished meetings (counted from this node's events), provider latency and 429s (from
 * {@link MeteredAnalyzer}).
 */
public final class ServerMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private volatile StoreStatus.Totals totals;
    private volatile int storeUp = 1;

    public ServerMetrics() {
    }

    void bind(StoreStatus store, EventHub hub) {
        this.totals = store.countsAll();
        for (MeetingState state : MeetingState.values()) {
            Gauge.builder("minutes_meetings", () -> count(state)).tag("state", state.wireName())
                    .description("Meetings in each state, across every batch").register(registry);
        }
        Gauge.builder("minutes_store_up", () -> storeUp)
                .description("1 when the store answered this scrape, 0 when it did not (its gauges then keep their last values)")
                .register(registry);
        Gauge.builder("minutes_queue_depth", () -> totals.counts().queued())
                .description("Meetings waiting to be processed").register(registry);
        Gauge.builder("minutes_tokens", () -> totals.usage().inputTokens()).tag("direction", "input")
                .description("Tokens used by stored meetings").register(registry);
        Gauge.builder("minutes_tokens", () -> totals.usage().outputTokens()).tag("direction", "output")
                .description("Tokens used by stored meetings").register(registry);
        Gauge.builder("minutes_cost_usd", () -> totals.usage().costUsd())
                .description("Cost of stored meetings in USD").register(registry);
        Gauge.builder("minutes_throughput_meetings_per_second", hub::throughput)
                .description("Meetings finished per second over the last minute on this node").register(registry);
        Counter.builder("minutes_retries").description("Attempts that failed and were scheduled again").register(registry);
        hub.subscribeAll(s -> {
            if (s.event() == null) return;
            MeetingState state = s.event().state();
            if (state == MeetingState.QUEUED && s.event().failure() != null) {
                Counter.builder("minutes_retries").description("Attempts that failed and were scheduled again")
                        .register(registry).increment();
            } else if (state.isFinal()) {
                Counter.builder("minutes_meetings_finished").tag("state", state.wireName())
                        .description("Meetings finished on this node").register(registry).increment();
            }
        });
    }

    private double count(MeetingState state) {
        var c = totals.counts();
        return switch (state) {
            case QUEUED -> c.queued();
            case RUNNING -> c.running();
            case WAITING -> c.waiting();
            case COMPLETED -> c.completed();
            case FAILED -> c.failed();
            case SKIPPED -> c.skipped();
            case CANCELLED -> c.cancelled();
        };
    }

    /**
     * The metrics now. The store's gauges are refreshed if it answers within {@link StoreHealth#ANSWER_WITHIN};
     * when it does not, they keep their last values and {@code minutes_store_up} is 0.
     */
    String scrape(StoreHealth storeHealth) {
        var read = storeHealth.totals();
        read.ifPresent(t -> totals = t);
        storeUp = read.isPresent() ? 1 : 0;
        return registry.scrape();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    static String tag(String value) {
        return value == null ? "none" : value.toLowerCase(Locale.ROOT);
    }
}

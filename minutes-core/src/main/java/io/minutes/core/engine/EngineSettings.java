package io.minutes.core.engine;

import java.time.Duration;

/**
 * How the engine runs. {@code concurrency} is the most meetings in flight at once on this node;
 * {@code lease} how long a claim lasts without a heartbeat (heartbeats go every lease/3);
 * {@code idlePoll} how often an idle dispatcher looks for work other nodes may have added.
 */
public record EngineSettings(int concurrency, Duration lease, Duration idlePoll) {
    public static final int DEFAULT_CONCURRENCY = 5;
    public static final Duration DEFAULT_LEASE = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_POLL = Duration.ofSeconds(1);

    public EngineSettings {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, got " + concurrency);
        if (lease.toMillis() < 300) throw new IllegalArgumentException("lease must be >= 300ms, got " + lease);
        if (idlePoll.toMillis() < 1) throw new IllegalArgumentException("idle poll must be >= 1ms, got " + idlePoll);
    }

    public static EngineSettings ofDefaults() {
        return new EngineSettings(DEFAULT_CONCURRENCY, DEFAULT_LEASE, DEFAULT_IDLE_POLL);
    }

    public Duration heartbeatInterval() {
        return lease.dividedBy(3);
    }
}

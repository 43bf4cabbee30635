package io.minutes.app.config;

import io.minutes.core.engine.AimdConcurrency;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.EngineSettings;

import java.time.Duration;
import java.util.List;

/**
 * The engine section: concurrency, concurrency-max, lease and store-outage-limit, made into the
 * dispatcher's {@link EngineSettings} and {@link ConcurrencyLimit}.
 */
public record EngineSection(Settings.Concurrency concurrency, int concurrencyMax, Duration lease, Duration storeOutageLimit) {

    /** The shortest lease the engine takes (see {@link EngineSettings}): heartbeats must fit in it. */
    static final Duration MIN_LEASE = Duration.ofMillis(300);

    public static final Section SECTION = new Section("engine",
            List.of(Settings.CONCURRENCY, Settings.CONCURRENCY_MAX, Settings.LEASE, Settings.STORE_OUTAGE_LIMIT),
            EngineSection::check);

    public static EngineSection of(Config config) {
        return new EngineSection(config.get(Settings.CONCURRENCY), config.get(Settings.CONCURRENCY_MAX),
                config.get(Settings.LEASE), config.get(Settings.STORE_OUTAGE_LIMIT));
    }

    /** Meetings in flight at most: the fixed number, or concurrency-max when adaptive. */
    public int mostInFlight() {
        return concurrency.auto() ? concurrencyMax : concurrency.fixed();
    }

    public EngineSettings settings() {
        return new EngineSettings(mostInFlight(), lease, EngineSettings.DEFAULT_IDLE_POLL);
    }

    public ConcurrencyLimit concurrencyLimit() {
        return concurrency.auto() ? new AimdConcurrency(concurrencyMax) : ConcurrencyLimit.fixed(concurrency.fixed());
    }

    private static void check(Config config, List<String> problems) {
        Duration lease = config.get(Settings.LEASE);
        if (lease.compareTo(MIN_LEASE) < 0) {
            problems.add(Section.named(config, Settings.LEASE) + "must be at least " + MIN_LEASE.toMillis() + "ms (heartbeats "
                    + "renew it), got '" + config.describe(Settings.LEASE).raw() + "'");
        }
    }
}

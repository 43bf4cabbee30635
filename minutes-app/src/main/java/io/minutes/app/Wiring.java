package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.Settings;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.engine.AimdConcurrency;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.InProcessRateLimitBuckets;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.ThrottledAnalyzer;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.time.Clock;
import java.time.Duration;

/** The composition root: the only place that picks implementations for the ports. */
public final class Wiring {
    private Wiring() {
    }

    public static Analyzer analyzer(Config config) {
        return analyzer(config, RateLimitObserver.NONE);
    }

    /** The provider's analyzer, telling {@code observer} what it learns about the provider's rate limits. */
    public static Analyzer analyzer(Config config, RateLimitObserver observer) {
        return switch (config.get(Settings.PROVIDER)) {
            case "sim" -> new SimAnalyzer(simSettings(config), observer);
            default -> new LocalAnalyzer();
        };
    }

    public static SimAnalyzer.Settings simSettings(Config config) {
        return new SimAnalyzer.Settings(Duration.ofMillis(config.get(Settings.SIM_LATENCY_MS)),
                Duration.ofMillis(config.get(Settings.SIM_LATENCY_SD_MS)), config.get(Settings.SIM_ERROR_RATE),
                config.get(Settings.SIM_HANG_RATE), config.get(Settings.SIM_TIMEOUT), config.get(Settings.SIM_RPM),
                config.get(Settings.SIM_TPM), SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, System.nanoTime());
    }

    /**
     * The dispatcher of this process: the provider's calls go through a {@link Throttle} (admission
     * by the configured and learned limits) and a fixed or adaptive concurrency limit.
     */
    public static Dispatcher dispatcher(Config config, MeetingStore store, EventSink events) {
        Clock clock = Clock.systemUTC();
        Throttle throttle = throttle(config, clock);
        ConcurrencyLimit concurrency = concurrencyLimit(config);
        Analyzer analyzer = new ThrottledAnalyzer(analyzer(config, throttle), throttle, concurrency);
        return new Dispatcher(store, new Pipeline(analyzer), engineSettings(config), retryPolicy(config), clock,
                events, WorkerId.forThisProcess(), throttle, concurrency);
    }

    public static Throttle throttle(Config config, Clock clock) {
        return new Throttle(config.get(Settings.PROVIDER), rateLimits(config), new InProcessRateLimitBuckets(clock), clock);
    }

    public static RateLimits rateLimits(Config config) {
        return new RateLimits(config.get(Settings.RPM), config.get(Settings.TPM), config.get(Settings.INPUT_TPM),
                config.get(Settings.OUTPUT_TPM));
    }

    public static ConcurrencyLimit concurrencyLimit(Config config) {
        Settings.Concurrency c = config.get(Settings.CONCURRENCY);
        return c.auto() ? new AimdConcurrency(config.get(Settings.CONCURRENCY_MAX)) : ConcurrencyLimit.fixed(c.fixed());
    }

    public static MeetingStore store(Config config) {
        return SqliteMeetingStore.open(config.get(Settings.DB));
    }

    public static EngineSettings engineSettings(Config config) {
        Settings.Concurrency c = config.get(Settings.CONCURRENCY);
        return new EngineSettings(c.auto() ? config.get(Settings.CONCURRENCY_MAX) : c.fixed(), config.get(Settings.LEASE),
                EngineSettings.DEFAULT_IDLE_POLL);
    }

    public static RetryPolicy retryPolicy(Config config) {
        return RetryPolicy.builder()
                .maxAttempts(config.get(Settings.MAX_ATTEMPTS))
                .baseDelay(config.get(Settings.RETRY_BASE_DELAY))
                .maxDelay(config.get(Settings.RETRY_MAX_DELAY))
                .build();
    }

    public static Ingestor ingestor(Config config) {
        return new Ingestor(config.get(Settings.MIN_TRANSCRIPT_CHARS));
    }

    public static void configureLogging(Config config) {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.toLevel(config.get(Settings.LOG_LEVEL)));
    }
}

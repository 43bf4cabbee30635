package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.Settings;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.MeetingStore;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.time.Duration;

/** The composition root: the only place that picks implementations for the ports. */
public final class Wiring {
    private Wiring() {
    }

    public static Analyzer analyzer(Config config) {
        return switch (config.get(Settings.PROVIDER)) {
            case "sim" -> new SimAnalyzer(new SimAnalyzer.Settings(
                    Duration.ofMillis(config.get(Settings.SIM_LATENCY_MS)), config.get(Settings.SIM_ERROR_RATE),
                    System.nanoTime()));
            default -> new LocalAnalyzer();
        };
    }

    public static MeetingStore store(Config config) {
        return SqliteMeetingStore.open(config.get(Settings.DB));
    }

    public static EngineSettings engineSettings(Config config) {
        return new EngineSettings(config.get(Settings.CONCURRENCY), config.get(Settings.LEASE),
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

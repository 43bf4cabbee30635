package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.DbLocation;
import io.minutes.app.config.Settings;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.WorkAnnouncingStore;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.StoreEvents;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.StoreException;
import io.minutes.store.postgres.PostgresBlobStore;
import io.minutes.store.postgres.PostgresDatabase;
import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.PostgresRateLimitBuckets;
import io.minutes.store.postgres.PostgresStoreEvents;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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

    /**
     * The store named by the {@code db} setting with its companions: SQLite with in-process events;
     * PostgreSQL with LISTEN/NOTIFY events, shared blobs and shared rate-limit buckets. Every command
     * that touches the queue opens it here.
     */
    public static StoreBackend backend(Config config) {
        return switch (config.get(Settings.DB)) {
            case DbLocation.SqliteFile sqlite -> {
                StoreEvents events = new InProcessStoreEvents();
                MeetingStore store = SqliteMeetingStore.open(sqlite.file());
                yield new StoreBackend(sqlite.toString(), new WorkAnnouncingStore(store, events), events,
                        Optional.empty(), Optional.empty(), List.of(events, store));
            }
            case DbLocation.Postgres postgres -> {
                PostgresDatabase database = PostgresDatabase.open(postgres.url(), poolSize(config));
                StoreEvents events = new PostgresStoreEvents(database);
                MeetingStore store = PostgresMeetingStore.on(database);
                yield new StoreBackend(postgres.toString(), new WorkAnnouncingStore(store, events), events,
                        Optional.of(new PostgresBlobStore(database)), Optional.of(new PostgresRateLimitBuckets(database)),
                        List.of(events, store, database));
            }
        };
    }

    /** The backend, or empty after telling the user why the database cannot be opened. */
    public static Optional<StoreBackend> openBackendOrExplain(Config config, PrintStream err) {
        try {
            return Optional.of(backend(config));
        } catch (StoreException | UncheckedIOException e) {
            err.println("minutes: cannot open the database (setting db = " + config.get(Settings.DB) + "): " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Meetings in flight each write once when they finish; claims, heartbeats and events need a few more. */
    private static int poolSize(Config config) {
        return Math.clamp(config.get(Settings.CONCURRENCY) / 2 + 4, 4, 20);
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

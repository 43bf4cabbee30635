package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.DbLocation;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.EngineSection;
import io.minutes.app.config.IngestSection;
import io.minutes.app.config.Providers;
import io.minutes.app.config.ProviderSection;
import io.minutes.app.config.RateLimitSection;
import io.minutes.app.config.RetrySection;
import io.minutes.app.config.SimSection;
import io.minutes.app.config.TranscriberSection;
import io.minutes.app.config.Settings;
import io.minutes.app.config.StyleSection;
import io.minutes.core.engine.CachingAnalyzer;
import io.minutes.core.node.Node;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.InProcessRateLimitBuckets;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.SensitiveTier;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.ThrottledAnalyzer;
import io.minutes.core.engine.ThrottledCalls;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.ZipLimits;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingQueue;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.RateWindows;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.Transcriber;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.StoreException;
import io.minutes.store.StoreFailures;
import io.minutes.store.postgres.PostgresBlobStore;
import io.minutes.store.postgres.PostgresDatabase;
import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.PostgresRateLimitBuckets;
import io.minutes.store.postgres.PostgresStoreEvents;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The composition root: the only place that picks implementations for the ports. */
public final class Wiring {
    private Wiring() {
    }

    /**
     * The analyzer the provider setting names.
     *
     * @param env where API keys are read from (the variable api-key-env names)
     * @throws ConfigException when a remote provider has no key and needs one
     */
    public static Analyzer analyzer(Config config, Map<String, String> env) throws ConfigException {
        return analyzer(config, env, RateLimitObserver.NONE);
    }

    /** The same, telling {@code observer} what every response says about the provider's rate limits. */
    public static Analyzer analyzer(Config config, Map<String, String> env, RateLimitObserver observer)
            throws ConfigException {
        return analyzer(config, env, observer, CallAdmission.NONE);
    }

    /** The same, each call admitted by {@code admission}. */
    static Analyzer analyzer(Config config, Map<String, String> env, RateLimitObserver observer,
                             CallAdmission admission) throws ConfigException {
        return ProviderSection.of(config).analyzer(env, observer, admission);
    }

    public static SimAnalyzer.Settings simSettings(Config config) {
        return SimSection.settings(config);
    }

    /** Who may receive a sensitive meeting: allow-sensitive against the providers the configuration names. */
    public static SensitiveTier sensitiveTier(Config config) {
        String transcriber = config.get(Settings.TRANSCRIBER);
        return new SensitiveTier(config.get(Settings.ALLOW_SENSITIVE), config.get(Settings.PROVIDER),
                transcriber.equals(Providers.NO_TRANSCRIBER) ? null : transcriber);
    }

    /**
     * What a batch would cost before it is sent, as the pipeline would send it: through redaction and
     * the store's result cache (if it keeps one), with the transcriber measuring recordings kept in {@code blobs}.
     */
    public static Estimator estimator(Config config, Optional<ResultCache> results, Analyzer analyzer, Transcriber transcriber,
                                      BlobStore blobs) {
        return new Estimator(Node.beforeTheProvider(analyzer, results.orElse(null), model(config), config.get(Settings.REDACT),
                config.get(Settings.UNSUPPORTED_ITEMS), Clock.systemUTC(), new StoreOutage()), transcriber, blobs,
                StyleSection.stylist(config));
    }

    /**
     * Who answers the meetings, as deduplication and a re-run compare batches: provider, model, analysis version,
     * redaction (see {@link CachingAnalyzer#analyzerIdentity}), and the language and template asked (with the
     * versions of the templates, so a changed template is another batch whose unchanged meetings the cache answers).
     */
    public static String analyzerIdentity(Config config) {
        return CachingAnalyzer.analyzerIdentity(config.get(Settings.PROVIDER), model(config), config.get(Settings.REDACT))
                + "/" + StyleSection.stylist(config).identity(null);
    }

    /** The model part of the result cache's key: the configured (or default) model of a remote provider. */
    public static String model(Config config) {
        return ProviderSection.of(config).model();
    }

    public static Throttle throttle(Config config) {
        Clock clock = Clock.systemUTC();
        return new Throttle(config.get(Settings.PROVIDER), model(config), rateLimits(config), rateWindow(config),
                new InProcessRateLimitBuckets(clock), RateWindows.NONE, clock);
    }

    /**
     * A throttle on the backend's buckets when it shares them with other nodes, else on this process's;
     * the window learned for the provider and model is kept in the store, for the other nodes and the next run.
     */
    public static Throttle throttle(Config config, StoreBackend backend) {
        Clock clock = Clock.systemUTC();
        return new Throttle(config.get(Settings.PROVIDER), model(config), rateLimits(config), rateWindow(config),
                backend.sharedBuckets().orElseGet(() -> new InProcessRateLimitBuckets(clock)), backend.rateWindows(), clock);
    }

    /**
     * The throttle of the transcription service, apart from the analyzer's (its own endpoint and limits:
     * transcription-rpm and what its headers say), on the backend's shared buckets when there are some.
     */
    public static Throttle transcriptionThrottle(Config config, StoreBackend backend) {
        Clock clock = Clock.systemUTC();
        TranscriberSection transcriber = TranscriberSection.of(config);
        return new Throttle(transcriber.throttleName(), transcriber.rateLimits(), rateWindow(config),
                backend.sharedBuckets().orElseGet(() -> new InProcessRateLimitBuckets(clock)), clock);
    }

    static Throttle.Window rateWindow(Config config) {
        return RateLimitSection.of(config).window();
    }

    public static RateLimits rateLimits(Config config) {
        return RateLimitSection.of(config).limits();
    }

    public static ConcurrencyLimit concurrencyLimit(Config config) {
        return EngineSection.of(config).concurrencyLimit();
    }

    /** The environment variable holding the provider's API key; null for a provider that takes none. */
    public static String apiKeyEnv(Config config) {
        return ProviderSection.of(config).apiKeyEnv();
    }

    /** The environment variables holding the keys the analyzer and the transcriber read. */
    public static java.util.Set<String> apiKeyVariables(Config config) {
        java.util.Set<String> variables = new java.util.LinkedHashSet<>();
        variables.add(apiKeyEnv(config));
        variables.add(TranscriberSection.of(config).apiKeyEnv());
        variables.remove(null);
        return variables;
    }

    /**
     * The store named by the {@code db} setting with its companions: SQLite with in-process events;
     * PostgreSQL with LISTEN/NOTIFY events, shared blobs and shared rate-limit buckets. Every command
     * that touches the queue opens it here.
     */
    public static StoreBackend backend(Config config) {
        return backend(config, false);
    }

    /** {@code runsEngine}: the command runs the engine, which wants every pooled connection from its first claim. */
    private static StoreBackend backend(Config config, boolean runsEngine) {
        return switch (config.get(Settings.DB)) {
            case DbLocation.SqliteFile sqlite -> {
                StoreEvents events = new InProcessStoreEvents();
                SqliteMeetingStore store = SqliteMeetingStore.open(sqlite.file(), events);
                yield new StoreBackend(sqlite.toString(), store, events, store, Optional.of(store),
                        Optional.empty(), Optional.empty(), List.of(events, store));
            }
            case DbLocation.Postgres postgres -> {
                PostgresDatabase database = PostgresDatabase.open(postgres.url(), poolSize(config), runsEngine);
                StoreEvents events = new PostgresStoreEvents(database);
                PostgresMeetingStore store = PostgresMeetingStore.on(database, events);
                yield new StoreBackend(postgres.toString(), store, events, store, Optional.of(store),
                        Optional.of(new PostgresBlobStore(database)), Optional.of(new PostgresRateLimitBuckets(database)),
                        List.of(events, store, database));
            }
        };
    }

    /** The backend, or empty after telling the user why the database cannot be opened. */
    public static Optional<StoreBackend> openBackendOrExplain(Config config, PrintStream err) {
        return openBackendOrExplain(config, err, false);
    }

    /** The same for a command that runs the engine (run, worker, serve): see {@link PostgresDatabase#open(io.minutes.store.postgres.PostgresUrl, int, boolean)}. */
    public static Optional<StoreBackend> openEngineBackendOrExplain(Config config, PrintStream err) {
        return openBackendOrExplain(config, err, true);
    }

    private static Optional<StoreBackend> openBackendOrExplain(Config config, PrintStream err, boolean runsEngine) {
        try {
            return Optional.of(backend(config, runsEngine));
        } catch (StoreException | UncheckedIOException e) {
            err.println("minutes: cannot open the database (setting db = " + config.get(Settings.DB) + "): " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Meetings in flight each write once when they finish; claims, heartbeats and events need a few more. */
    private static int poolSize(Config config) {
        return Math.clamp(engineSettings(config).concurrency() / 2 + 4, 4, 20);
    }

    public static EngineSettings engineSettings(Config config) {
        return EngineSection.of(config).settings();
    }

    public static RetryPolicy retryPolicy(Config config) {
        return RetrySection.of(config).policy();
    }

    public static Ingestor ingestor(Config config) {
        return IngestSection.ingestor(config);
    }

    public static ZipLimits zipLimits(Config config) {
        return IngestSection.zipLimits(config);
    }

    public static void configureLogging(Config config) {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.toLevel(config.get(Settings.LOG_LEVEL)));
    }
}

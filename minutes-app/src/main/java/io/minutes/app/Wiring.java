package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.DbLocation;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Settings;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.engine.AimdConcurrency;
import io.minutes.core.engine.CachingAnalyzer;
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
import io.minutes.core.privacy.RedactingAnalyzer;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiChat;
import io.minutes.providers.sim.EnforcedLimit;
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
import java.util.Locale;
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

    /**
     * The analyzer admitted by {@code throttle} call by call (an HTTP provider's meeting may make several
     * calls), telling it what every response says about the provider's rate limits.
     */
    public static Analyzer analyzer(Config config, Map<String, String> env, Throttle throttle) throws ConfigException {
        return analyzer(config, env, throttle, new ThrottledCalls(throttle));
    }

    /** The same, each call admitted by {@code admission}. */
    static Analyzer analyzer(Config config, Map<String, String> env, RateLimitObserver observer,
                             CallAdmission admission) throws ConfigException {
        observer = RateLimitObserver.neverFailing(observer);
        return switch (config.get(Settings.PROVIDER)) {
            case "sim" -> new SimAnalyzer(simSettings(config), observer);
            case ProviderAnalyzers.OPENAI -> {
                ProviderAnalyzers.Common common = remote(config, env, ProviderAnalyzers.OPENAI,
                        ProviderAnalyzers.OPENAI_BASE_URL, ProviderAnalyzers.OPENAI_DEFAULT_MODEL, "OPENAI_API_KEY", observer);
                OpenAiChat.StructuredOutput mode = OpenAiChat.StructuredOutput.valueOf(
                        config.get(Settings.STRUCTURED_OUTPUT).toUpperCase(Locale.ROOT));
                yield fitting(() -> ProviderAnalyzers.openAi(common, mode, admission));
            }
            case ProviderAnalyzers.ANTHROPIC -> {
                ProviderAnalyzers.Common common = remote(config, env, ProviderAnalyzers.ANTHROPIC,
                        ProviderAnalyzers.ANTHROPIC_BASE_URL, ProviderAnalyzers.ANTHROPIC_DEFAULT_MODEL, "ANTHROPIC_API_KEY",
                        observer);
                yield fitting(() -> ProviderAnalyzers.anthropic(common, admission));
            }
            default -> new LocalAnalyzer();
        };
    }

    public static SimAnalyzer.Settings simSettings(Config config) {
        return new SimAnalyzer.Settings(Duration.ofMillis(config.get(Settings.SIM_LATENCY_MS)),
                Duration.ofMillis(config.get(Settings.SIM_LATENCY_SD_MS)), config.get(Settings.SIM_ERROR_RATE),
                config.get(Settings.SIM_HANG_RATE), config.get(Settings.SIM_TIMEOUT), config.get(Settings.SIM_RPM),
                config.get(Settings.SIM_TPM), SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, System.nanoTime(),
                EnforcedLimit.Window.fromWire(config.get(Settings.SIM_WINDOW)));
    }

    /**
     * The dispatcher of this process: the analyzer's calls go through {@code throttle} (admission by
     * the configured and learned limits, the one {@code analyzer} reports to) and a fixed or adaptive
     * concurrency limit. Every batch is held to the budget the store keeps for it, so the budget holds
     * on every node and across restarts.
     */
    public static Dispatcher dispatcher(Config config, StoreBackend backend, Analyzer analyzer,
                                        Pipeline.Transcription transcription, Throttle throttle, WorkerId owner,
                                        EventSink events) {
        return dispatcher(config, backend, analyzer, transcription, throttle, owner, events, new StoreOutage());
    }

    /** The same, reporting to {@code outage} (the one {@link #analyzerChecked(Config, Throttle, StoreOutage)} reports to). */
    public static Dispatcher dispatcher(Config config, StoreBackend backend, Analyzer analyzer,
                                        Pipeline.Transcription transcription, Throttle throttle, WorkerId owner,
                                        EventSink events, StoreOutage outage) {
        ConcurrencyLimit concurrency = concurrencyLimit(config);
        MeetingQueue queue = backend.store();
        Pipeline pipeline = new Pipeline(guarded(config, backend.results(),
                new ThrottledAnalyzer(analyzer, throttle, concurrency, reportingTo(outage)), outage),
                transcription, config.get(Settings.ALLOW_SENSITIVE), Pipeline.Budgets.in(queue));
        return new Dispatcher(queue, pipeline, engineSettings(config), retryPolicy(config), Clock.systemUTC(), events,
                owner, throttle, concurrency, outage);
    }

    /**
     * The analyzer as the pipeline calls it: redaction (when asked) before the result cache (when the store
     * keeps one), before the throttle, so a cached answer takes no rate-limit tokens and costs nothing.
     */
    public static Analyzer guarded(Config config, Optional<ResultCache> results, Analyzer throttled) {
        return guarded(config, results, throttled, new StoreOutage());
    }

    private static Analyzer guarded(Config config, Optional<ResultCache> results, Analyzer throttled, StoreOutage outage) {
        Analyzer analyzer = results
                .<Analyzer>map(cache -> new CachingAnalyzer(throttled, cache, model(config), Clock.systemUTC(), outage))
                .orElse(throttled);
        return config.get(Settings.REDACT) ? new RedactingAnalyzer(analyzer) : analyzer;
    }

    /**
     * What a batch would cost before it is sent, as the pipeline would send it: through redaction and
     * the store's result cache (if it keeps one), with the transcriber measuring recordings kept in {@code blobs}.
     */
    public static Estimator estimator(Config config, Optional<ResultCache> results, Analyzer analyzer, Transcriber transcriber,
                                      BlobStore blobs) {
        return new Estimator(guarded(config, results, analyzer), transcriber, blobs);
    }

    /**
     * Who answers the meetings, as deduplication compares batches: provider, model, analysis version,
     * redaction (see {@link CachingAnalyzer#analyzerIdentity}).
     */
    public static String analyzerIdentity(Config config) {
        return CachingAnalyzer.analyzerIdentity(config.get(Settings.PROVIDER), model(config), config.get(Settings.REDACT));
    }

    /** The model part of the result cache's key: the configured (or default) model of a remote provider. */
    public static String model(Config config) {
        String provider = config.get(Settings.PROVIDER);
        return switch (provider) {
            case ProviderAnalyzers.OPENAI -> orDefault(config.get(Settings.MODEL), ProviderAnalyzers.OPENAI_DEFAULT_MODEL);
            case ProviderAnalyzers.ANTHROPIC -> orDefault(config.get(Settings.MODEL), ProviderAnalyzers.ANTHROPIC_DEFAULT_MODEL);
            default -> provider;
        };
    }

    public static Throttle throttle(Config config) {
        Clock clock = Clock.systemUTC();
        return new Throttle(config.get(Settings.PROVIDER), rateLimits(config), rateWindow(config),
                new InProcessRateLimitBuckets(clock), clock);
    }

    /**
     * A throttle on the backend's buckets when it shares them with other nodes, else on this process's;
     * the window learned for the provider is kept in the store, for the other nodes and the next run.
     */
    public static Throttle throttle(Config config, StoreBackend backend) {
        Clock clock = Clock.systemUTC();
        return new Throttle(config.get(Settings.PROVIDER), rateLimits(config), rateWindow(config),
                backend.sharedBuckets().orElseGet(() -> new InProcessRateLimitBuckets(clock)), backend.rateWindows(), clock);
    }

    /**
     * The analyzer, for settings already checked with {@link #analyzer(Config, Map)}: admitted by
     * {@code throttle} call by call and telling it what every response says; store failures of its shared buckets are reported to {@code outage}.
     */
    public static Analyzer analyzerChecked(Config config, Throttle throttle, StoreOutage outage) {
        try {
            return analyzer(config, System.getenv(), RateLimitObserver.neverFailing(throttle, reportingTo(outage)),
                    new ThrottledCalls(throttle, reportingTo(outage)));
        } catch (ConfigException e) {
            throw new IllegalStateException("provider settings were checked at start-up: " + e.getMessage(), e);
        }
    }

    /**
     * The throttle of the transcription service, apart from the analyzer's (its own endpoint and limits:
     * transcription-rpm and what its headers say), on the backend's shared buckets when there are some.
     */
    public static Throttle transcriptionThrottle(Config config, StoreBackend backend) {
        Clock clock = Clock.systemUTC();
        return new Throttle(AudioWiring.transcriptionProvider(config),
                new RateLimits(config.get(Settings.TRANSCRIPTION_RPM), 0, 0, 0), rateWindow(config),
                backend.sharedBuckets().orElseGet(() -> new InProcessRateLimitBuckets(clock)), clock);
    }

    /** Tells {@code outage} of a failure that is the store's (a rate-limit bucket it keeps that cannot be written). */
    static java.util.function.Consumer<RuntimeException> reportingTo(StoreOutage outage) {
        return e -> StoreFailures.unavailable(e).ifPresent(u -> outage.failed(u, Clock.systemUTC().instant()));
    }

    static Throttle.Window rateWindow(Config config) {
        return "second".equals(config.get(Settings.RATE_WINDOW)) ? Throttle.Window.SECOND : Throttle.Window.AUTO;
    }

    public static RateLimits rateLimits(Config config) {
        return new RateLimits(config.get(Settings.RPM), config.get(Settings.TPM), config.get(Settings.INPUT_TPM),
                config.get(Settings.OUTPUT_TPM));
    }

    public static ConcurrencyLimit concurrencyLimit(Config config) {
        Settings.Concurrency c = config.get(Settings.CONCURRENCY);
        return c.auto() ? new AimdConcurrency(config.get(Settings.CONCURRENCY_MAX)) : ConcurrencyLimit.fixed(c.fixed());
    }

    /** Settings that each pass but do not fit together (a context smaller than the answer) name both. */
    private static Analyzer fitting(java.util.function.Supplier<Analyzer> build) throws ConfigException {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of("settings 'context-tokens' and 'max-output-tokens': " + e.getMessage()));
        }
    }

    /** The environment variable holding the provider's API key. */
    public static String apiKeyEnv(Config config) {
        String named = config.get(Settings.API_KEY_ENV);
        if (!named.equals(Settings.AUTO)) return named;
        return ProviderAnalyzers.ANTHROPIC.equals(config.get(Settings.PROVIDER)) ? "ANTHROPIC_API_KEY" : "OPENAI_API_KEY";
    }

    private static ProviderAnalyzers.Common remote(Config config, Map<String, String> env, String provider,
                                                   String defaultBaseUrl, String defaultModel, String defaultKeyEnv,
                                                   RateLimitObserver observer)
            throws ConfigException {
        String baseUrl = orDefault(config.get(Settings.BASE_URL), defaultBaseUrl);
        String keyEnv = apiKeyEnv(config);
        String key = env.get(keyEnv);
        if (key != null && key.isBlank()) key = null;
        if (key == null && baseUrl.equals(defaultBaseUrl)) {
            throw new ConfigException(List.of("provider " + provider + " needs an API key for " + baseUrl + ": set "
                    + keyEnv + (keyEnv.equals(defaultKeyEnv) ? " (or name another variable with --api-key-env)" : "")
                    + ", or give --base-url for a server that needs none"
                    + (provider.equals("anthropic") ? " (a gateway that adds the key itself)" : " (Ollama, vLLM, LM Studio)")));
        }
        String authHint = "set " + keyEnv + " to a valid key" + (keyEnv.equals(defaultKeyEnv) ? " or name another variable with --api-key-env" : "");
        return new ProviderAnalyzers.Common(baseUrl, orDefault(config.get(Settings.MODEL), defaultModel), key, authHint,
                config.get(Settings.MAX_OUTPUT_TOKENS), config.get(Settings.CONTEXT_TOKENS),
                new ProviderHttp.Timeouts(config.get(Settings.CONNECT_TIMEOUT), config.get(Settings.REQUEST_TIMEOUT)),
                config.get(Settings.PRICES), observer, Clock.systemUTC());
    }

    private static String orDefault(String value, String byDefault) {
        return value.equalsIgnoreCase(Settings.AUTO) ? byDefault : value;
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
                SqliteMeetingStore store = SqliteMeetingStore.open(sqlite.file(), events);
                yield new StoreBackend(sqlite.toString(), store, events, store, Optional.of(store),
                        Optional.empty(), Optional.empty(), List.of(events, store));
            }
            case DbLocation.Postgres postgres -> {
                PostgresDatabase database = PostgresDatabase.open(postgres.url(), poolSize(config));
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
        try {
            return Optional.of(backend(config));
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
        return new Ingestor(config.get(Settings.MIN_TRANSCRIPT_CHARS), config.get(Settings.MAX_TRANSCRIPT_BYTES));
    }

    public static ZipLimits zipLimits(Config config) {
        return new ZipLimits(config.get(Settings.MAX_ZIP_ENTRIES), config.get(Settings.MAX_UNZIPPED_BYTES));
    }

    public static void configureLogging(Config config) {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.toLevel(config.get(Settings.LOG_LEVEL)));
    }
}

package io.minutes.core.node;

import io.minutes.core.trust.CheckedAnalyzer;
import io.minutes.core.trust.UnsupportedItems;
import io.minutes.core.engine.Admission;
import io.minutes.core.engine.CachingAnalyzer;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.SensitiveTier;
import io.minutes.core.engine.Retention;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.ThrottledAnalyzer;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.lane.CutOverWatch;
import io.minutes.core.lane.FlexLane;
import io.minutes.core.lane.ProviderBatchLane;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.ResultCache;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.port.StoreUnavailableException;
import io.minutes.core.port.Transcriber;
import io.minutes.core.privacy.RedactingAnalyzer;
import io.minutes.core.style.Stylist;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * One processing node: the engine every entry point runs ({@code run}, {@code worker}, {@code serve},
 * the bench, the server's tests), assembled in one place from ports and typed settings. It owns the
 * throttles, the analyzer chain (redaction, result cache, throttle, provider), the pipeline, the
 * dispatcher, its wake-ups (work announced by any node sharing the store), reap-on-start (the
 * dispatcher's first act), retention, and an ordered close.
 *
 * <p>Retention is the same in every node: expired batches are purged when the node starts (or just
 * before, see {@link #purgeExpired()}), then every {@link Builder#retention(Duration, Duration) interval}
 * while it runs.
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** How often a running node purges expired batches. */
    public static final Duration DEFAULT_RETENTION_INTERVAL = Duration.ofHours(1);
    /** How long meetings in flight may finish when the node stops before they go back to the queue. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(5);

    private final MeetingStore store;
    private final StoreEvents events;
    private final Dispatcher dispatcher;
    private final Estimator estimator;
    private final BlobStore blobs;
    private final Retention retention;
    private final Duration retentionInterval;
    private final Stylist stylist;
    private final List<AutoCloseable> resources;
    private final StoreEvents.Subscription wakeUps;
    /** The batch lane, when a provider batch API is configured; null otherwise. */
    private final ProviderBatchLane lane;
    private final CutOverWatch deadlines;
    private final List<StoreEvents.Subscription> subscriptions = new ArrayList<>();
    private volatile boolean purged;
    private Thread purging;
    private boolean stopped;
    private boolean closed;

    private Node(Builder b) {
        this.store = b.store;
        this.events = b.events;
        StoreOutage outage = b.outage;
        Consumer<RuntimeException> bookkeepingFailed = e -> b.storeFailures.apply(e)
                .ifPresent(u -> outage.failed(u, b.clock.instant()));
        if (b.analyzerLink != null) b.analyzerLink.attach(b.throttle, bookkeepingFailed);
        if (b.transcriberLink != null) b.transcriberLink.attach(b.transcriptionThrottle, bookkeepingFailed);
        ConcurrencyLimit concurrency = b.concurrency != null ? b.concurrency : ConcurrencyLimit.fixed(b.engine.concurrency());
        Analyzer provider = b.meter.apply(b.analyzer);
        Analyzer throttled = b.throttle == null ? provider
                : new ThrottledAnalyzer(provider, b.throttle, concurrency, bookkeepingFailed);
        Pipeline.Transcription transcription = b.transcriber == null ? null
                : new Pipeline.Transcription(b.transcriber, b.blobs, store, b.owner.toString(), b.clock);
        Analyzer analyzer = guarded(b, throttled, outage);
        SensitiveTier sensitive = b.sensitive != null ? b.sensitive : new SensitiveTier(Pipeline.DEFAULT_ALLOW_SENSITIVE,
                analyzer.name(), b.transcriber == null ? null : b.transcriber.name());
        CutOverWatch deadlines = b.cutOver == null ? null : new CutOverWatch(store, b.cutOver, b.clock);
        Pipeline pipeline = new Pipeline(analyzer, transcription, sensitive,
                b.budgets ? Pipeline.Budgets.in(store) : Pipeline.Budgets.NONE, b.stylist,
                b.flex ? new FlexLane(deadlines, b.retryPolicy, b.clock) : Pipeline.Flex.NONE);
        Admission admission = b.admission != null ? b.admission : b.throttle == null ? Admission.UNLIMITED : b.throttle;
        this.dispatcher = new Dispatcher(store, pipeline, b.engine, b.retryPolicy, b.clock, events, b.owner, admission,
                concurrency, outage);
        // an estimate goes through what the pipeline goes through before the provider: redaction, the result cache
        this.estimator = new Estimator(guarded(b, b.analyzer, new StoreOutage()), b.transcriber, b.blobs, b.stylist);
        this.blobs = b.blobs;
        this.retention = new Retention(store, b.blobs, b.retention, b.clock);
        this.retentionInterval = b.retentionInterval;
        this.stylist = b.stylist;
        this.resources = List.copyOf(b.resources);
        // the batch lane prepares its lines through the same chain as the realtime calls: redaction, the result cache
        this.deadlines = b.cutOver == null ? null : new CutOverWatch(store, b.cutOver, b.clock);
        this.lane = b.providerBatches == null ? null : new ProviderBatchLane(store, b.providerBatches,
                guarded(b, b.analyzer, outage), b.resultCache, b.unsupportedItems,
                meeting -> sensitive.allowed().contains(b.providerBatches.provider().toLowerCase(java.util.Locale.ROOT)),
                b.retryPolicy, b.clock, events, b.owner, b.laneSettings, b.laneProgress,
                deadlines, b.stylist);
        // work stored by any node sharing the store (or by this one) is looked for now, not at the next poll
        this.wakeUps = events.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                dispatcher.wake();
                if (lane != null) lane.wake();
            }
        });
    }

    /** Redaction (when asked) before the result cache (when the store keeps one) before {@code analyzer}. */
    private static Analyzer guarded(Builder b, Analyzer analyzer, StoreOutage outage) {
        return beforeTheProvider(analyzer, b.resultCache, b.model, b.redact, b.unsupportedItems, b.clock, outage);
    }

    /**
     * What stands before the provider in every chain, estimates included: redaction, then the checks of
     * every answer (owners, due dates, evidence; {@link CheckedAnalyzer}), then the result cache ({@code resultCache} null: none, as for a store that keeps none).
     */
    public static Analyzer beforeTheProvider(Analyzer analyzer, ResultCache resultCache, String model, boolean redact,
                                             UnsupportedItems unsupportedItems, Clock clock, StoreOutage outage) {
        Analyzer cached = resultCache == null ? analyzer : new CachingAnalyzer(analyzer, resultCache, model, clock, outage);
        Analyzer checked = new CheckedAnalyzer(cached, unsupportedItems);
        return redact ? new RedactingAnalyzer(checked) : checked;
    }

    /** How this node writes minutes: its language and template settings and the templates it knows. */
    public Stylist stylist() {
        return stylist;
    }

    public static Builder builder(MeetingStore store, StoreEvents events, Analyzer analyzer) {
        return new Builder(store, events, analyzer);
    }

    /**
     * Purges the batches whose retention has passed, now. A node does it when it starts; {@code run} does
     * it before it looks for the batch of its inputs, so that it never resumes a batch being purged.
     */
    public MeetingStore.Purged purgeExpired() {
        MeetingStore.Purged result = retention.purgeExpired();
        purged = true;
        return result;
    }

    /** Purges expired batches unless it was just done, starts the engine (which first reaps dead local workers), and purges every interval. */
    public synchronized void start() {
        if (stopped) throw new IllegalStateException("a stopped node does not start again");
        if (purging != null) return;
        if (!purged) purgeQuietly();
        dispatcher.start();
        if (lane != null) lane.start();
        purging = Thread.ofVirtual().name("minutes-retention").start(this::purgeEveryInterval);
    }

    private void purgeEveryInterval() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(retentionInterval);
            } catch (InterruptedException e) {
                return;
            }
            purgeQuietly();
        }
    }

    /** A store that fails a purge fails it again at the next interval; the engine has its own way with outages. */
    private void purgeQuietly() {
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            log.warn("retention purge failed, trying again in {}: {}", retentionInterval, e.toString());
        }
    }

    /** Looks for due work now. */
    public void wake() {
        dispatcher.wake();
        if (lane != null) lane.wake();
    }

    /** The batch lane, when a provider batch API is configured. */
    /** How the batches' deadlines are watched (their cut-over), when this node watches them. */
    public Optional<CutOverWatch> deadlines() {
        return Optional.ofNullable(deadlines);
    }

    public Optional<ProviderBatchLane> lane() {
        return Optional.ofNullable(lane);
    }

    public boolean isRunning() {
        return dispatcher.isRunning();
    }

    public Optional<Throwable> deathCause() {
        return dispatcher.deathCause();
    }

    /** {@code action} runs when the engine dies (not on a clean stop). */
    public void onDeath(Consumer<Throwable> action) {
        dispatcher.onDeath(action);
    }

    public StoreOutage storeOutage() {
        return dispatcher.storeOutage();
    }

    public WorkerId owner() {
        return dispatcher.owner();
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    public MeetingStore store() {
        return store;
    }

    /** Where recordings wait for transcription; null when the node has no transcriber nor retention. */
    public BlobStore blobs() {
        return blobs;
    }

    public StoreEvents events() {
        return events;
    }

    /** What a batch would cost before it is sent, as this node's pipeline would send it. */
    public Estimator estimator() {
        return estimator;
    }

    /** Hears what every node sharing the store announces, until the node closes. */
    public synchronized void listen(StoreEvents.Listener listener) {
        subscriptions.add(events.subscribe(listener));
    }

    /**
     * Stops the engine: no more purges, no more claims; meetings in flight get {@code grace} to finish, the
     * rest go back to the queue. The store stays open (to write what the caller reports). Idempotent.
     */
    public void stop(Duration grace) {
        Thread purge;
        synchronized (this) {
            stopped = true;
            purge = purging;
        }
        if (purge != null) purge.interrupt();
        if (lane != null) lane.stop();
        dispatcher.shutdown(grace);
    }

    /** Stops the engine (with {@link #DEFAULT_SHUTDOWN_GRACE}), then closes listeners and the resources it was given, in order. */
    @Override
    public void close() {
        stop(DEFAULT_SHUTDOWN_GRACE);
        List<StoreEvents.Subscription> listening;
        synchronized (this) {
            if (closed) return;
            closed = true;
            listening = List.copyOf(subscriptions);
        }
        wakeUps.close();
        listening.forEach(StoreEvents.Subscription::close);
        RuntimeException failed = null;
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                if (failed == null) failed = new IllegalStateException("could not close the node: " + e.getMessage(), e);
                else failed.addSuppressed(e);
            }
        }
        if (failed != null) throw failed;
    }

    /** What a node is made of; everything but the store, its events and the provider has a default. */
    public static final class Builder {
        private final MeetingStore store;
        private final StoreEvents events;
        private final Analyzer analyzer;
        private ThrottleLink analyzerLink;
        private Throttle throttle;
        private ConcurrencyLimit concurrency;
        private Admission admission;
        private UnaryOperator<Analyzer> meter = UnaryOperator.identity();
        private Transcriber transcriber;
        private ThrottleLink transcriberLink;
        private Throttle transcriptionThrottle;
        private BlobStore blobs;
        private ResultCache resultCache;
        private String model;
        private boolean redact;
        private UnsupportedItems unsupportedItems = UnsupportedItems.DEFAULT;
        private SensitiveTier sensitive;
        private boolean budgets = true;
        private Stylist stylist = Stylist.ofDefaults();
        private EngineSettings engine = new EngineSettings(4, Duration.ofSeconds(30), EngineSettings.DEFAULT_IDLE_POLL);
        private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
        private Clock clock = Clock.systemUTC();
        private WorkerId owner = WorkerId.forThisProcess();
        private StoreOutage outage = new StoreOutage();
        private Function<Throwable, Optional<StoreUnavailableException>> storeFailures =
                e -> e instanceof StoreUnavailableException u ? Optional.of(u) : Optional.empty();
        private Duration retention = Duration.ZERO;
        private Duration retentionInterval = DEFAULT_RETENTION_INTERVAL;
        private final List<AutoCloseable> resources = new ArrayList<>();
        private ProviderBatches providerBatches;
        private CutOverWatch.Settings cutOver;
        private boolean flex;
        private ProviderBatchLane.Settings laneSettings = ProviderBatchLane.Settings.ofDefaults();
        private Consumer<ProviderBatchLane.Progress> laneProgress = p -> log.info("batch lane: {}", p.describe());

        private Builder(MeetingStore store, StoreEvents events, Analyzer analyzer) {
            this.store = Objects.requireNonNull(store, "store");
            this.events = Objects.requireNonNull(events, "events");
            this.analyzer = Objects.requireNonNull(analyzer, "analyzer");
        }

        /**
         * Every call of the provider is admitted by {@code throttle}; {@code link} (null when the provider
         * was built without one) is what the provider reports its rate limits to and asks admission of,
         * call by call. Without a throttle, calls go straight to the provider, held by the concurrency limit alone.
         */
        public Builder throttle(Throttle throttle, ThrottleLink link) {
            this.throttle = Objects.requireNonNull(throttle, "throttle");
            this.analyzerLink = link;
            return this;
        }

        /**
         * Claims are admitted by {@code admission} instead of a throttle, and calls go straight to the
         * provider: the generic job queue's limiter the bench compares the throttle with.
         */
        public Builder admission(Admission admission) {
            this.admission = admission;
            return this;
        }

        /** Fixed or adaptive; by default fixed at the engine settings' concurrency. */
        public Builder concurrency(ConcurrencyLimit concurrency) {
            this.concurrency = concurrency;
            return this;
        }

        /** Wraps the provider as the throttle calls it (metrics of what reaches the provider). */
        public Builder meter(UnaryOperator<Analyzer> meter) {
            this.meter = meter;
            return this;
        }

        /**
         * Recordings are transcribed by {@code transcriber}, each file admitted by {@code throttle} through
         * {@code link} (null: the transcriber admits nothing), recordings read from {@code blobs}.
         */
        public Builder transcription(Transcriber transcriber, Throttle throttle, ThrottleLink link) {
            this.transcriber = transcriber;
            this.transcriptionThrottle = throttle;
            this.transcriberLink = link;
            if (link != null) Objects.requireNonNull(throttle, "a transcriber with a throttle link needs its throttle");
            return this;
        }

        /** Where recordings wait for transcription (and what retention deletes with their batches). */
        public Builder blobs(BlobStore blobs) {
            this.blobs = blobs;
            return this;
        }

        /** Answers already paid for are kept in {@code cache} under {@code model}'s identity; null: none. */
        public Builder resultCache(ResultCache cache, String model) {
            this.resultCache = cache;
            this.model = model;
            return this;
        }

        public Builder redact(boolean redact) {
            this.redact = redact;
            return this;
        }

        /** What happens to an item whose evidence is not found in the transcript (default: marked). */
        public Builder unsupportedItems(UnsupportedItems policy) {
            this.unsupportedItems = java.util.Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Who may receive sensitive meetings (default: the built-in analyzers only). */
        public Builder sensitiveTier(SensitiveTier sensitive) {
            this.sensitive = sensitive;
            return this;
        }

        /** Whether batches are held to the budgets the store keeps for them (default true). */
        public Builder budgets(boolean held) {
            this.budgets = held;
            return this;
        }

        /** The languages and templates of the minutes: the node's settings and the templates it knows (default: auto, built-ins). */
        public Builder stylist(Stylist stylist) {
            this.stylist = Objects.requireNonNull(stylist, "stylist");
            return this;
        }

        public Builder engine(EngineSettings engine) {
            this.engine = engine;
            return this;
        }

        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = retryPolicy;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder owner(WorkerId owner) {
            this.owner = owner;
            return this;
        }

        /**
         * How failures of the store are told apart from other failures, for the adapter's bookkeeping of
         * the rate limits (buckets kept in a database): by default, a {@link StoreUnavailableException} only.
         */
        public Builder storeFailures(Function<Throwable, Optional<StoreUnavailableException>> classify) {
            this.storeFailures = classify;
            return this;
        }

        /** Finished batches are purged {@code retention} after they finish (zero: never), checked every {@code interval}. */
        public Builder retention(Duration retention, Duration interval) {
            if (interval.isNegative() || interval.isZero()) throw new IllegalArgumentException("the retention interval must be positive, got " + interval);
            this.retention = retention;
            this.retentionInterval = interval;
            return this;
        }

        /**
         * Meetings planned for the batch lane are sent through {@code batches} (this provider and model's batch API),
         * polled as {@code settings} say; {@code progress} (null: logged) hears the provider's counts after each poll.
         */
        public Builder providerBatches(ProviderBatches batches, ProviderBatchLane.Settings settings,
                                       Consumer<ProviderBatchLane.Progress> progress) {
            this.providerBatches = Objects.requireNonNull(batches, "batches");
            this.laneSettings = Objects.requireNonNull(settings, "settings");
            if (progress != null) this.laneProgress = progress;
            return this;
        }

        /**
         * The batch and flex lanes watch the batches' deadlines as {@code settings} say (without it: deadlines are not
         * watched).
         */
        public Builder deadlines(CutOverWatch.Settings settings) {
            this.cutOver = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /**
         * Whether the provider takes flex calls ({@link io.minutes.core.port.Analyzer.Request#flex()}): meetings
         * planned for the flex lane send theirs in its flex tier while their batch's deadline lets them (default
         * false: they run realtime).
         */
        public Builder flex(boolean offered) {
            this.flex = offered;
            return this;
        }

        /** Closed, in the order given, after the engine stopped (the store's backend). */
        public Builder closing(AutoCloseable resource) {
            resources.add(resource);
            return this;
        }

        /** The node, not started; its adapters' throttle links are attached now. */
        public Node build() {
            if (transcriber != null && blobs == null) throw new IllegalStateException("a transcriber needs the blob store recordings wait in");
            if (!retention.isZero() && blobs == null) throw new IllegalStateException("retention needs the blob store, to delete the recordings of purged batches");
            return new Node(this);
        }
    }
}

package io.minutes.app.bench;

import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.Admission;
import io.minutes.core.engine.AimdConcurrency;
import io.minutes.core.engine.ConcurrencyLimit;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.InProcessRateLimitBuckets;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.Throttle;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.node.Node;
import io.minutes.core.node.ThrottleLink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a {@link Scenario} end to end: a real SQLite store in a temporary file, the real dispatcher,
 * the sim provider enforcing the scenario's limits over its window; with the throttle (admission by
 * requests and tokens, learning the window from the headers and 429s) or the baseline a generic job
 * queue gives (BullMQ's limiter: at most a minute's limit of jobs started in any 60 s, no tokens,
 * 429s retried with the provider's retry-after); both at the scenario's fixed concurrency, and the
 * throttle again with auto concurrency (judged against the same floor, at the scenario's concurrency).
 */
public final class Bench {
    private static final Duration DEADLINE = Duration.ofMinutes(10);
    /** The most calls in flight with auto concurrency: the {@code concurrency-max} setting's default. */
    static final int AUTO_MAX = 100;

    /**
     * The throttle at the scenario's concurrency; the throttle with {@code --concurrency auto} (AIMD
     * over rate x latency, up to {@link #AUTO_MAX}); the generic queue's limiter.
     */
    public enum Scheduler {
        THROTTLE("throttle"), AUTO("auto"), BASELINE("baseline");

        public final String label;

        Scheduler(String label) {
            this.label = label;
        }
    }

    /**
     * One run. For the fairness scenario {@code meetings} and {@code wallSeconds} are the small batch's
     * and {@code minimumSeconds} its time alone. {@code lost}: meetings not completed (for fairness,
     * neither completed nor waiting in the queue when the run stopped); {@code duplicated}: meetings
     * the provider billed more than once.
     */
    public record Result(Scenario scenario, Scheduler scheduler, int meetings, double wallSeconds, double minimumSeconds,
                         long calls, long refused, long episodes, long retries, long lost, long duplicated, String note) {
        public double efficiency() {
            return wallSeconds <= 0 ? 0 : minimumSeconds / wallSeconds;
        }
    }

    private final long seed;

    public Bench(long seed) {
        this.seed = seed;
    }

    /** A short run that lets the JIT compile the engine, so the first scenario is not measured cold. */
    public void warmUp() throws InterruptedException {
        Scenario s = new Scenario("warm-up", "", 100, 0, 100, 200, 0, 0, EnforcedLimit.Window.SECOND, false, 20,
                Duration.ZERO, Duration.ZERO, 0, 0, Duration.ofSeconds(1));
        for (Scheduler scheduler : Scheduler.values()) runOne(s, scheduler);
    }

    public Result run(Scenario scenario, Scheduler scheduler) throws InterruptedException {
        return scenario.fairness() ? runFairness(scenario, scheduler) : runOne(scenario, scheduler);
    }

    private Result runOne(Scenario s, Scheduler scheduler) throws InterruptedException {
        List<NewMeeting> meetings = meetings("m", s.meetings(), s, seed);
        try (Run run = new Run(s, scheduler, seed)) {
            Batch batch = run.submit("bench", meetings);
            long started = System.nanoTime();
            run.node.start();
            run.awaitFinished(batch.id());
            double wall = (System.nanoTime() - started) / 1e9;
            run.node.stop(Duration.ofSeconds(5));
            List<Meeting> done = run.store.meetingsList(batch.id());
            long completed = done.stream().filter(m -> m.state() == MeetingState.COMPLETED).count();
            SimAnalyzer.Stats stats = run.sim.stats();
            String note = "";
            if (scheduler == Scheduler.AUTO) {
                double floor = Floor.seconds(s.withConcurrency(AUTO_MAX), meetings, simSettings(s, seed));
                note = String.format(java.util.Locale.ROOT, "auto: judged against the floor at concurrency %d; at up to %d"
                        + " in flight the floor is %.2f s (efficiency %.2f)", s.concurrency(), AUTO_MAX, floor, floor / wall);
            }
            return new Result(s, scheduler, s.meetings(), wall, Floor.seconds(s, meetings, simSettings(s, seed)),
                    stats.accepted() + stats.refused(), stats.refused(), stats.refusalEpisodes(), retries(done),
                    s.meetings() - completed, stats.billedTwice(), note);
        }
    }

    private Result runFairness(Scenario s, Scheduler scheduler) throws InterruptedException {
        List<NewMeeting> small = meetings("small", s.smallBatch(), s, seed + 1);
        double alone;
        try (Run run = new Run(s, scheduler, seed)) {
            Batch batch = run.submit("small-alone", small);
            long started = System.nanoTime();
            run.node.start();
            run.awaitFinished(batch.id());
            alone = (System.nanoTime() - started) / 1e9;
        }
        try (Run run = new Run(s, scheduler, seed)) {
            Batch big = run.submit("big", meetings("big", s.meetings(), s, seed));
            run.node.start();
            run.awaitCompleted(big.id(), Math.max(1, s.meetings() / 10));
            Batch late = run.submit("small", small);
            java.time.Instant submitted = Clock.systemUTC().instant();
            long started = System.nanoTime();
            run.node.wake();
            run.awaitFinished(late.id());
            double wall = (System.nanoTime() - started) / 1e9;
            run.node.stop(Duration.ofSeconds(5));
            List<Meeting> bigDone = run.store.meetingsList(big.id());
            List<Meeting> smallDone = run.store.meetingsList(late.id());
            long bigCompleted = bigDone.stream().filter(m -> m.state() == MeetingState.COMPLETED).count();
            long lost = Stream.concat(bigDone.stream(), smallDone.stream())
                    .filter(m -> m.state() != MeetingState.COMPLETED && m.state() != MeetingState.QUEUED).count()
                    + smallDone.stream().filter(m -> m.state() != MeetingState.COMPLETED).count();
            SimAnalyzer.Stats stats = run.sim.stats();
            List<Meeting> all = new ArrayList<>(bigDone);
            all.addAll(smallDone);
            return new Result(s, scheduler, s.smallBatch(), wall, alone, stats.accepted() + stats.refused(),
                    stats.refused(), stats.refusalEpisodes(), retries(all), lost, stats.billedTwice(),
                    String.format("big batch %d/%d done when the small one finished (stopped there); alone %.2f s;"
                                    + " the small batch's last call started after %d ms",
                            bigCompleted, s.meetings(), alone, lastStart(smallDone, submitted)));
        }
    }

    static SimAnalyzer.Settings simSettings(Scenario s, long seed) {
        return new SimAnalyzer.Settings(s.latencyMean(), s.latencySd(), s.errorRate(), s.hangRate(), s.timeout(),
                s.serverRpm(), s.serverTpm(), SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, seed, s.window());
    }

    private static long lastStart(List<Meeting> meetings, java.time.Instant since) {
        return meetings.stream().flatMap(m -> m.attempts().stream())
                .mapToLong(a -> Duration.between(since, a.startedAt()).toMillis()).max().orElse(-1);
    }

    private static long retries(List<Meeting> meetings) {
        return meetings.stream().mapToLong(m -> Math.max(0, m.attempts().size() - 1)).sum();
    }

    /** Transcripts of random length within the scenario's token range (4 characters a token). */
    static List<NewMeeting> meetings(String prefix, int count, Scenario s, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        String sentence = "We went through the plan for the next release and agreed who does what by Friday. ";
        List<NewMeeting> meetings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long tokens = s.minTokens() + random.nextLong(s.maxTokens() - s.minTokens() + 1);
            StringBuilder text = new StringBuilder();
            while (text.length() < tokens * 4) text.append(sentence);
            text.setLength((int) (tokens * 4));
            Transcript t = new Transcript("txt", List.of(new Segment("Alice", 0.0, 60.0, text.toString().strip())));
            meetings.add(NewMeeting.ready(prefix + i + ".txt", prefix + " " + i, prefix + "-" + i, t));
        }
        return meetings;
    }

    /** A store, a sim provider and a node for one run, removed afterwards. */
    private static final class Run implements AutoCloseable {
        final Path dir;
        final MeetingStore store;
        final SimAnalyzer sim;
        final Node node;
        final Map<String, CountDownLatch> finished = new ConcurrentHashMap<>();
        final Map<String, Integer> completed = new ConcurrentHashMap<>();

        Run(Scenario s, Scheduler scheduler, long seed) {
            try {
                dir = Files.createTempDirectory("minutes-bench");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            store = SqliteMeetingStore.open(dir.resolve("bench.db"), new InProcessStoreEvents());
            Clock clock = Clock.systemUTC();
            RetryPolicy retries = RetryPolicy.builder().maxAttempts(10).baseDelay(Duration.ofMillis(250))
                    .maxDelay(Duration.ofSeconds(5)).build();
            SimAnalyzer.Settings simSettings = simSettings(s, seed);
            InProcessStoreEvents events = new InProcessStoreEvents();
            boolean auto = scheduler == Scheduler.AUTO;
            ConcurrencyLimit concurrency = auto ? new AimdConcurrency(AUTO_MAX) : ConcurrencyLimit.fixed(s.concurrency());
            int slots = auto ? AUTO_MAX : s.concurrency();
            Node.Builder builder;
            if (scheduler != Scheduler.BASELINE) {
                RateLimits limits = s.clientKnowsLimits() ? new RateLimits(s.serverRpm(), s.serverTpm(), 0, 0) : RateLimits.NONE;
                Throttle throttle = new Throttle("sim", limits, Throttle.Window.AUTO, new InProcessRateLimitBuckets(clock), clock);
                ThrottleLink link = new ThrottleLink();
                sim = new SimAnalyzer(simSettings, link);
                builder = Node.builder(store, events, sim).throttle(throttle, link).engine(settings(slots));
            } else {
                Admission window = s.clientKnowsLimits() && s.serverRpm() > 0
                        ? new SlidingWindowRpm(s.serverRpm(), clock) : Admission.UNLIMITED;
                sim = new SimAnalyzer(simSettings);
                builder = Node.builder(store, events, sim).admission(window).engine(settings(s.concurrency()));
            }
            // the engine alone is measured: no budgets to hold, no result cache, nothing to purge
            node = builder.concurrency(concurrency).retryPolicy(retries).clock(clock).budgets(false)
                    .closing(events).closing(store).build();
            node.listen(new StoreEvents.Listener() {
                @Override
                public void progress(ProgressEvent event) {
                    onProgress(event);
                }
            });
        }

        private static EngineSettings settings(int concurrency) {
            return new EngineSettings(concurrency, Duration.ofSeconds(30), Duration.ofMillis(100));
        }

        Batch submit(String runKey, List<NewMeeting> meetings) {
            return store.batchCreate(new BatchStore.BatchCreateParams(runKey, "sim", Clock.systemUTC().instant(), meetings,
                    Priority.NORMAL, OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, null, null, null, null));
        }

        private void onProgress(ProgressEvent event) {
            completed.merge(event.batchId(), event.counts().completed(), Math::max);
            if (event.counts().isFinished()) latch(event.batchId()).countDown();
        }

        private CountDownLatch latch(String batchId) {
            return finished.computeIfAbsent(batchId, id -> new CountDownLatch(1));
        }

        /** Events say when the batch finishes; the store is asked too, for a finish no event reports. */
        void awaitFinished(String batchId) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (!latch(batchId).await(1, TimeUnit.SECONDS)) {
                if (store.batchGet(batchId).map(b -> b.counts().isFinished()).orElse(true)) return;
                if (System.nanoTime() > deadline) return;
            }
        }

        void awaitCompleted(String batchId, int count) throws InterruptedException {
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            while (completed.getOrDefault(batchId, 0) < count && System.nanoTime() < deadline) {
                latch(batchId).await(20, TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void close() {
            node.close();
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind is not worth failing the bench
            }
        }
    }
}

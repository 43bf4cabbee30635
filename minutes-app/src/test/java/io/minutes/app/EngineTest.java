package io.minutes.app;

import io.minutes.core.testing.TestEngine;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The engine on a real SQLite file, with analyzers that misbehave on purpose. */
class EngineTest {
    @TempDir
    Path dir;
    MeetingStore store;
    Dispatcher dispatcher;

    @BeforeEach
    void openStore() {
        store = SqliteMeetingStore.open(dir.resolve("minutes.db"), new InProcessStoreEvents());
    }

    @AfterEach
    void close() {
        if (dispatcher != null) dispatcher.shutdown(Duration.ofSeconds(5));
        store.close();
    }

    @Test
    void meetingsInFlightNeverExceedTheConcurrencyLimit() {
        int limit = 5;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Map<String, Integer> calls = new ConcurrentHashMap<>();
        Analyzer analyzer = new ScriptedAnalyzer(request -> {
            int now = inFlight.incrementAndGet();
            maxInFlight.accumulateAndGet(now, Math::max);
            calls.merge(request.meetingId(), 1, Integer::sum);
            try {
                Thread.sleep(ThreadLocalRandom.current().nextInt(1, 25)); // a provider's variable latency
            } finally {
                inFlight.decrementAndGet();
            }
            return null;
        });
        Batch batch = submit(200);
        startEngine(analyzer, limit, RetryPolicy.ofDefaults());

        awaitFinished(batch);
        assertThat(maxInFlight.get()).isEqualTo(limit);
        assertThat(calls).hasSize(200).allSatisfy((id, n) -> assertThat(n).isEqualTo(1));
        assertThat(store.meetingsList(batch.id())).allSatisfy(m -> assertThat(m.state()).isEqualTo(MeetingState.COMPLETED));
    }

    @Test
    void aPermanentFailureDoesNotStopTheOthersAndTransientOnesAreRetriedWithGrowingDelays() {
        Map<Integer, AtomicInteger> callsByIndex = new ConcurrentHashMap<>();
        Analyzer analyzer = new ScriptedAnalyzer(request -> {
            int index = Integer.parseInt(request.title().replace("meeting ", ""));
            int call = callsByIndex.computeIfAbsent(index, i -> new AtomicInteger()).incrementAndGet();
            if (index == 3) throw new AnalyzerException(Failure.permanent("meeting 3: the provider refused it (400)"));
            if (index == 7 && call <= 2) throw new AnalyzerException(Failure.transientFailure("HTTP 503 on call " + call));
            if (index == 9) throw new AnalyzerException(Failure.transientFailure("HTTP 503, always"));
            return null;
        });
        // Jitter pinned to the top of its window, so the delays are exactly 150 ms then 300 ms.
        RetryPolicy retries = RetryPolicy.builder().maxAttempts(3).baseDelay(Duration.ofMillis(150))
                .maxDelay(Duration.ofSeconds(5)).random(new TopOfWindow()).build();
        Batch batch = submit(12);
        startEngine(analyzer, 4, retries);

        awaitFinished(batch);
        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(meetings).extracting(Meeting::state).containsExactly(IntStream.range(0, 12)
                .mapToObj(i -> i == 3 || i == 9 ? MeetingState.FAILED : MeetingState.COMPLETED).toArray(MeetingState[]::new));

        Meeting permanent = meetings.get(3);
        assertThat(permanent.attempts()).hasSize(1);
        assertThat(permanent.lastFailure().kind()).isEqualTo(Failure.Kind.PERMANENT);

        Meeting recovered = meetings.get(7);
        assertThat(recovered.attempts()).extracting(a -> a.failure() == null ? "ok" : a.failure().message())
                .containsExactly("HTTP 503 on call 1", "HTTP 503 on call 2", "ok");
        List<Attempt> a = recovered.attempts();
        Duration firstGap = Duration.between(a.get(0).finishedAt(), a.get(1).startedAt());
        Duration secondGap = Duration.between(a.get(1).finishedAt(), a.get(2).startedAt());
        assertThat(firstGap).isGreaterThanOrEqualTo(Duration.ofMillis(150));
        assertThat(secondGap).isGreaterThanOrEqualTo(Duration.ofMillis(300));

        Meeting exhausted = meetings.get(9);
        assertThat(exhausted.attempts()).hasSize(3).allSatisfy(x -> assertThat(x.failure().isTransient()).isTrue());
        assertThat(callsByIndex.get(9)).hasValue(3);
    }

    @Test
    void anAnalyzerBugFailsOnlyItsMeeting() {
        Analyzer analyzer = new ScriptedAnalyzer(request -> {
            if (request.title().equals("meeting 1")) throw new IllegalStateException("boom");
            return null;
        });
        Batch batch = submit(3);
        startEngine(analyzer, 2, RetryPolicy.ofDefaults());

        awaitFinished(batch);
        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(meetings).extracting(Meeting::state)
                .containsExactly(MeetingState.COMPLETED, MeetingState.FAILED, MeetingState.COMPLETED);
        assertThat(meetings.get(1).lastFailure().message()).contains("internal error").contains("boom");
    }

    @Test
    void aRetryWaitsAtLeastTheProvidersRetryAfter() {
        AtomicInteger calls = new AtomicInteger();
        Analyzer analyzer = new ScriptedAnalyzer(request -> {
            if (calls.incrementAndGet() == 1) {
                throw new AnalyzerException(new Failure(Failure.Kind.TRANSIENT, "429", Duration.ofMillis(400)));
            }
            return null;
        });
        Batch batch = submit(1);
        startEngine(analyzer, 1, RetryPolicy.builder().baseDelay(Duration.ZERO).build());

        awaitFinished(batch);
        List<Attempt> attempts = store.meetingsList(batch.id()).getFirst().attempts();
        assertThat(Duration.between(attempts.get(0).finishedAt(), attempts.get(1).startedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    private Batch submit(int count) {
        List<NewMeeting> meetings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Transcript t = new Transcript("txt", List.of(new Segment("Alice", 0.0, 5.0, "Hello number " + i)));
            meetings.add(NewMeeting.ready("m" + i + ".txt", "meeting " + i, "hash" + i, t));
        }
        return store.batchCreate(TestBatches.batch("key", "test", Instant.now(), meetings));
    }

    @Test
    void aCleanStopKeepsHeartbeatingWhileMeetingsFinishInTheGrace() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Analyzer analyzer = new ScriptedAnalyzer(request -> {
            started.countDown();
            release.await();
            return null;
        });
        Batch batch = submit(1);
        Duration lease = Duration.ofMillis(600);
        dispatcher = TestEngine.dispatcher(store, TestEngine.pipeline(analyzer), new EngineSettings(1, lease, Duration.ofMillis(50)),
                RetryPolicy.ofDefaults(), Clock.systemUTC(), EventSink.NONE, WorkerId.forThisProcess());
        dispatcher.start();
        started.await();
        Thread stopping = Thread.ofVirtual().start(() -> dispatcher.shutdown(Duration.ofSeconds(10)));

        // Another node's reaper, looking well after the lease would have run out without heartbeats.
        await().pollDelay(lease.multipliedBy(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
        int takenByAnotherNode = store.meetingsReap(new MeetingStore.ReapParams(Instant.now(), null,
                RetryPolicy.builder().baseDelay(Duration.ZERO).maxLeasesLostInARow(3).build()::afterLeaseLost));
        release.countDown();
        stopping.join();

        assertThat(takenByAnotherNode).isZero();
        assertThat(store.meetingsList(batch.id())).singleElement()
                .satisfies(m -> assertThat(m.state()).isEqualTo(MeetingState.COMPLETED));
    }

    private void startEngine(Analyzer analyzer, int concurrency, RetryPolicy retries) {
        EngineSettings settings = new EngineSettings(concurrency, Duration.ofSeconds(30), Duration.ofMillis(50));
        dispatcher = TestEngine.dispatcher(store, TestEngine.pipeline(analyzer), settings, retries, Clock.systemUTC(),
                EventSink.NONE, WorkerId.forThisProcess());
        dispatcher.start();
    }

    private void awaitFinished(Batch batch) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());
    }

    /** Runs {@code script} for each call; returns a fixed analysis unless the script throws. */
    record ScriptedAnalyzer(Script script) implements Analyzer {
        interface Script {
            Object run(Request request) throws AnalyzerException, InterruptedException;
        }

        @Override
        public String name() {
            return "scripted";
        }

        @Override
        public Result analyze(Request request) throws AnalyzerException {
            try {
                script.run(request);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AnalyzerException(Failure.transientFailure("interrupted"));
            }
            return new Result(new Analysis(request.title(), "summary", List.of(), List.of(), List.of(), List.of(),
                    List.of()), Usage.NONE);
        }
    }

    /** A "random" source that always picks the largest value: full jitter without the randomness. */
    static final class TopOfWindow implements RandomGenerator {
        @Override
        public long nextLong() {
            return Long.MAX_VALUE;
        }

        @Override
        public long nextLong(long bound) {
            return bound - 1;
        }
    }
}

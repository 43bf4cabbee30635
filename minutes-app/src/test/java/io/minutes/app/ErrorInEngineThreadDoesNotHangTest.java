package io.minutes.app;

import io.minutes.core.testing.TestEngine;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, "nothing hangs": an {@link Error} in a thread of the engine, on a real SQLite store. Broke: an
 * OutOfMemoryError killed the claim loop silently and {@code minutes run} waited forever; a pipeline that
 * threw an Error was swallowed by its executor, its meeting left {@code running} until its lease expired.
 */
class ErrorInEngineThreadDoesNotHangTest {
    private static final Duration LEASE = Duration.ofSeconds(30);

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
    void anOutOfMemoryErrorInAPipelineStopsTheEngineAndPutsItsMeetingBackThroughTheRetryPolicy() throws Exception {
        Batch batch = submit(1);
        CountDownLatch died = new CountDownLatch(1);
        start(store, request -> {
            throw new OutOfMemoryError("test");
        }, RetryPolicy.ofDefaults());
        dispatcher.onDeath(cause -> died.countDown());

        assertThat(died.await(60, TimeUnit.SECONDS)).as("the engine says it died").isTrue();
        assertThat(dispatcher.deathCause()).get().isInstanceOf(OutOfMemoryError.class);
        assertThat(dispatcher.isRunning()).as("what readiness reports").isFalse();
        // the failure is written before the engine says it died
        Meeting meeting = only(batch);
        assertThat(meeting.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(meeting.attemptCount()).as("counted: a meeting that always runs out of memory ends failed").isEqualTo(1);
        assertThat(meeting.lastFailure().message()).contains("ran out of memory", "heap", "MiB");
    }

    @Test
    void anErrorInAPipelineFailsOnlyItsMeetingOnceItsAttemptsAreUsedAndTheEngineGoesOn() {
        Batch batch = submit(3);
        AtomicInteger errors = new AtomicInteger();
        start(store, request -> {
            if (request.title().equals("meeting 1")) {
                errors.incrementAndGet();
                throw new NoClassDefFoundError("com/example/Missing"); // e.g. a provider jar that lacks a class
            }
            return null;
        }, RetryPolicy.builder().maxAttempts(2).baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofMillis(20)).build());

        await().atMost(Duration.ofSeconds(60)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());

        List<Meeting> meetings = store.meetingsBrief(batch.id());
        assertThat(meetings).extracting(Meeting::state)
                .containsExactly(MeetingState.COMPLETED, MeetingState.FAILED, MeetingState.COMPLETED);
        assertThat(meetings.get(1).lastFailure().message()).contains("internal error", "NoClassDefFoundError: com/example/Missing");
        assertThat(errors).as("tried again, its attempts counted").hasValue(2);
        assertThat(dispatcher.deathCause()).isEmpty();
        assertThat(dispatcher.isRunning()).isTrue();
    }

    @Test
    void anErrorInTheClaimLoopStopsTheEngineInsteadOfLeavingAnIdleNodeThatLooksAlive() throws Exception {
        Batch batch = submit(2);
        AtomicInteger claims = new AtomicInteger();
        MeetingStore failingOnSecondClaim = (MeetingStore) Proxy.newProxyInstance(MeetingStore.class.getClassLoader(),
                new Class<?>[]{MeetingStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("meetingsClaim") && claims.incrementAndGet() == 2) {
                        throw new OutOfMemoryError("test: while claiming");
                    }
                    try {
                        return method.invoke(store, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        CountDownLatch died = new CountDownLatch(1);
        CountDownLatch analyzing = new CountDownLatch(1);
        CountDownLatch finish = new CountDownLatch(1);
        EngineSettings settings = new EngineSettings(1, LEASE, Duration.ofMillis(50));
        dispatcher = TestEngine.dispatcher(failingOnSecondClaim, TestEngine.pipeline(new EngineTest.ScriptedAnalyzer(request -> {
            analyzing.countDown();
            finish.await();
            return null;
        })), settings, RetryPolicy.ofDefaults(), Clock.systemUTC(), EventSink.NONE, WorkerId.forThisProcess());
        dispatcher.onDeath(cause -> died.countDown());
        dispatcher.start();
        assertThat(analyzing.await(60, TimeUnit.SECONDS)).isTrue();
        finish.countDown(); // the slot frees, the loop claims again and dies

        assertThat(died.await(60, TimeUnit.SECONDS)).as("the engine says it died").isTrue();
        assertThat(dispatcher.deathCause()).get().extracting(Throwable::getMessage).isEqualTo("test: while claiming");
        assertThat(dispatcher.isRunning()).isFalse();
        dispatcher.shutdown(Duration.ofSeconds(5));
        List<Meeting> meetings = store.meetingsBrief(batch.id());
        assertThat(meetings).extracting(Meeting::state).containsExactly(MeetingState.COMPLETED, MeetingState.QUEUED);
    }

    private void start(MeetingStore on, EngineTest.ScriptedAnalyzer.Script script, RetryPolicy retries) {
        Analyzer analyzer = new EngineTest.ScriptedAnalyzer(script);
        dispatcher = TestEngine.dispatcher(on, TestEngine.pipeline(analyzer), new EngineSettings(1, LEASE, Duration.ofMillis(50)),
                retries, Clock.systemUTC(), EventSink.NONE, WorkerId.forThisProcess());
        dispatcher.start();
    }

    private Meeting only(Batch batch) {
        return store.meetingsBrief(batch.id()).getFirst();
    }

    private Batch submit(int count) {
        List<NewMeeting> meetings = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Transcript t = new Transcript("txt", List.of(new Segment("Alice", 0.0, 5.0, "Hello number " + i)));
            meetings.add(NewMeeting.ready("m" + i + ".txt", "meeting " + i, "hash" + i, t));
        }
        return store.batchCreate(TestBatches.batch("key", "test", Instant.now(), meetings));
    }
}

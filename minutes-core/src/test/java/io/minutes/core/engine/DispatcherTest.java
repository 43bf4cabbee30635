package io.minutes.core.engine;

import io.minutes.core.testing.ManualClock;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.testing.InMemoryMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real {@link Dispatcher} and {@link Pipeline} on the in-memory store, with a fake analyzer and a
 * clock moved by hand: claims, retries, reaps and the lease guard, with no database. The lease is an
 * hour of the hand-moved clock, so a lease expires only when the test moves the clock past it, and a
 * heartbeat (every 20 minutes of real time) never runs; the test waits on what the dispatcher publishes
 * and on the store's announcements, never on a sleep.
 */
class DispatcherTest {
    private static final Duration LEASE = Duration.ofHours(1);
    private static final Duration BACKOFF = Duration.ofSeconds(10);
    private static final long WAIT_SECONDS = 10;

    private final ManualClock clock = new ManualClock();
    private final InProcessStoreEvents storeEvents = new InProcessStoreEvents();
    private final InMemoryMeetingStore store = new InMemoryMeetingStore(storeEvents);
    /** What the dispatcher published, in order. */
    private final BlockingQueue<ProgressEvent> progress = new LinkedBlockingQueue<>();
    /** Each write the store announced as queueing work. */
    private final BlockingQueue<String> announced = new LinkedBlockingQueue<>();
    private Dispatcher dispatcher;

    @AfterEach
    void stop() {
        if (dispatcher != null) dispatcher.shutdown(Duration.ofSeconds(WAIT_SECONDS));
        store.close();
    }

    /** Starts a dispatcher of {@code concurrency} slots, woken by the store's announcements as a node's is. */
    private void start(Analyzer analyzer, int concurrency, int maxAttempts) {
        RetryPolicy policy = RetryPolicy.builder()
                .maxAttempts(maxAttempts)
                .baseDelay(BACKOFF)
                .maxDelay(BACKOFF)
                .random(fullBackoff())
                .build();
        Pipeline pipeline = new Pipeline(analyzer, null, new SensitiveTier(Pipeline.DEFAULT_ALLOW_SENSITIVE, analyzer.name(), null),
                Pipeline.Budgets.in(store));
        dispatcher = new Dispatcher(store, pipeline, new EngineSettings(concurrency, LEASE, Duration.ofMillis(20)), policy, clock,
                progress::add, WorkerId.forThisProcess(), Admission.UNLIMITED, ConcurrencyLimit.fixed(concurrency),
                new StoreOutage());
        storeEvents.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                announced.add("work added");
                dispatcher.wake();
            }
        });
        dispatcher.start();
    }

    /** Jitter that always takes the whole backoff, so a retry is due exactly {@link #BACKOFF} later. */
    private static RandomGenerator fullBackoff() {
        return new RandomGenerator() {
            @Override
            public long nextLong() {
                throw new UnsupportedOperationException("only bounded draws");
            }

            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
    }

    private Batch batchOf(String... titles) {
        List<NewMeeting> meetings = new ArrayList<>();
        for (String title : titles) {
            Transcript transcript = new Transcript("txt", List.of(new Segment("Ann", null, null, "said in " + title, List.of())), List.of());
            meetings.add(NewMeeting.ready(title + ".txt", title, "sha256:" + title, transcript));
        }
        return store.batchCreate(new BatchCreateParams("run-" + titles[0], "fake", clock.instant(), meetings, Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, null, null, null, null));
    }

    private static Analysis minutesOf(String title) {
        return new Analysis(title, "minutes of " + title, List.of(), List.of(), List.of(), List.of(), List.of(), null);
    }

    /** An analyzer that answers every meeting with its own minutes, failing each call {@code failures} says. */
    private static final class FakeAnalyzer implements Analyzer {
        final List<String> calls = new CopyOnWriteArrayList<>();
        private final Function<Integer, Failure> failures;

        /** {@code failures}: the failure of the n-th call (1-based), or null to answer it. */
        FakeAnalyzer(Function<Integer, Failure> failures) {
            this.failures = failures;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public Result analyze(Request request) throws AnalyzerException {
            calls.add(request.title());
            Failure failure = failures.apply(calls.size());
            if (failure != null) throw new AnalyzerException(failure);
            return new Result(minutesOf(request.title()), new Usage(100, 10, 0.0));
        }
    }

    /** The next event the dispatcher publishes, which must come within {@link #WAIT_SECONDS}. */
    private ProgressEvent nextProgress() throws InterruptedException {
        ProgressEvent event = progress.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(event).as("a progress event within %d s", WAIT_SECONDS).isNotNull();
        return event;
    }

    /**
     * The next outcome the dispatcher publishes (its RUNNING events skipped: a worker may publish its
     * outcome before the claim loop has published that it started).
     */
    private ProgressEvent nextOutcome() throws InterruptedException {
        ProgressEvent event;
        while ((event = nextProgress()).state() == MeetingState.RUNNING) {
            // skipped
        }
        return event;
    }

    private void awaitAnnouncement() throws InterruptedException {
        assertThat(announced.poll(WAIT_SECONDS, TimeUnit.SECONDS)).as("the store announced queued work").isNotNull();
    }

    private Meeting stored(String meetingId) {
        return store.meetingGet(meetingId).orElseThrow().meeting();
    }

    @Test
    void aBatchIsClaimedInInputOrderAndEveryMeetingCompletesWithItsOwnMinutes() throws Exception {
        Batch batch = batchOf("m0", "m1", "m2", "m3", "m4", "m5");
        start(new FakeAnalyzer(call -> null), 2, 3);

        List<Integer> started = new ArrayList<>();
        List<Integer> completed = new ArrayList<>();
        while (started.size() < 6 || completed.size() < 6) { // a meeting's RUNNING may come after its outcome
            ProgressEvent event = nextProgress();
            if (event.state() == MeetingState.RUNNING) started.add(event.index());
            if (event.state() == MeetingState.COMPLETED) completed.add(event.index());
        }

        assertThat(started).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(completed).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(meetings).extracting(Meeting::index).containsExactly(0, 1, 2, 3, 4, 5);
        assertThat(meetings).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
            assertThat(m.analysis()).isEqualTo(minutesOf(m.title()));
            assertThat(m.attempts()).singleElement().satisfies(a -> assertThat(a.succeeded()).isTrue());
        });
        assertThat(store.batchGet(batch.id()).orElseThrow().counts().completed()).isEqualTo(6);
    }

    @Test
    void aTransientFailureIsRetriedAfterItsBackoffAndUsesAnAttempt() throws Exception {
        Failure serverError = Failure.of(Failure.Cause.SERVER_ERROR, "HTTP 500 from the provider");
        FakeAnalyzer analyzer = new FakeAnalyzer(call -> serverError);
        String id = store.meetingsList(batchOf("standup").id()).getFirst().id();
        Instant failedAt = clock.instant();
        start(analyzer, 1, 2);

        ProgressEvent retry = nextOutcome();
        assertThat(retry.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(retry.attempt()).isEqualTo(1);
        assertThat(retry.failure().message()).isEqualTo("HTTP 500 from the provider");
        Meeting queued = stored(id);
        assertThat(queued.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(queued.notBefore()).as("due after the backoff").isEqualTo(failedAt.plus(BACKOFF));
        assertThat(analyzer.calls).hasSize(1);

        clock.advance(BACKOFF);
        dispatcher.wake();

        ProgressEvent last = nextOutcome();
        assertThat(last.attempt()).isEqualTo(2);
        assertThat(last.state()).as("the retry used the second of two attempts, so the next failure is the last")
                .isEqualTo(MeetingState.FAILED);
        Meeting failed = stored(id);
        assertThat(failed.state()).isEqualTo(MeetingState.FAILED);
        assertThat(failed.attempts()).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(failed.attempts()).allSatisfy(a -> assertThat(a.failure().message()).isEqualTo("HTTP 500 from the provider"));
        assertThat(analyzer.calls).hasSize(2);
    }

    @Test
    void aLostLeaseIsReapedAndRetriedWithoutUsingAnAttempt() throws Exception {
        String id = store.meetingsList(batchOf("standup").id()).getFirst().id();
        // a node that claimed the meeting and died: its lease runs out an hour later
        assertThat(store.meetingsClaim(new ClaimParams("node-that-died", 1, clock.instant(), LEASE))).hasSize(1);
        clock.advance(LEASE.plusSeconds(1));
        Instant reapedAt = clock.instant();
        // the retry after the lost lease fails once: with two attempts it is tried again only if the loss used none
        FakeAnalyzer analyzer = new FakeAnalyzer(call -> call == 1 ? Failure.of(Failure.Cause.TIMEOUT, "timed out") : null);
        start(analyzer, 1, 2);

        awaitAnnouncement(); // the reaper queued it again, on the dispatcher's start
        Meeting reaped = stored(id);
        assertThat(reaped.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(reaped.notBefore()).isEqualTo(reapedAt.plus(BACKOFF));
        assertThat(reaped.lastFailure().message()).startsWith("lease expired");

        clock.advance(BACKOFF);
        dispatcher.wake();
        assertThat(nextOutcome()).as("attempt 2 overall, but the first of the meeting's own two, so tried again")
                .extracting(ProgressEvent::state, ProgressEvent::attempt).containsExactly(MeetingState.QUEUED, 2);

        clock.advance(BACKOFF);
        dispatcher.wake();
        assertThat(nextOutcome()).extracting(ProgressEvent::state, ProgressEvent::attempt)
                .containsExactly(MeetingState.COMPLETED, 3);
        Meeting done = stored(id);
        assertThat(done.analysis()).isEqualTo(minutesOf("standup"));
        assertThat(done.attempts()).extracting(a -> a.failure() == null ? "ok" : a.failure().message())
                .containsExactly(InMemoryMeetingStore.LEASE_EXPIRED, "timed out", "ok");
    }

    @Test
    void aResultTheLeaseGuardRefusesIsDropped() throws Exception {
        String id = store.meetingsList(batchOf("standup").id()).getFirst().id();
        CountDownLatch analysing = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        AtomicInteger answered = new AtomicInteger();
        Analyzer slow = new Analyzer() {
            @Override
            public String name() {
                return "fake";
            }

            @Override
            public Result analyze(Request request) {
                analysing.countDown();
                try {
                    if (!answer.await(WAIT_SECONDS, TimeUnit.SECONDS)) throw new IllegalStateException("never told to answer");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
                answered.incrementAndGet();
                return new Result(minutesOf(request.title()), new Usage(100, 10, 0.5));
            }
        };
        start(slow, 1, 3);
        assertThat(analysing.await(WAIT_SECONDS, TimeUnit.SECONDS)).isTrue();

        // the process stood still past its lease: its own reaper takes the meeting back meanwhile
        clock.advance(LEASE.plusSeconds(1));
        dispatcher.wake();
        awaitAnnouncement();
        answer.countDown();
        dispatcher.shutdown(Duration.ofSeconds(WAIT_SECONDS)); // waits for the worker to write (or drop) its result
        dispatcher = null;

        assertThat(answered).hasValue(1);
        Meeting meeting = stored(id);
        assertThat(meeting.state()).as("the reaped meeting waits for its retry").isEqualTo(MeetingState.QUEUED);
        assertThat(meeting.analysis()).as("the late answer was dropped").isNull();
        assertThat(meeting.usage()).isNull();
        assertThat(meeting.attempts()).singleElement()
                .satisfies(a -> assertThat(a.failure().message()).isEqualTo(InMemoryMeetingStore.LEASE_EXPIRED));
        assertThat(progress).as("no completion was published").noneMatch(e -> e.state() == MeetingState.COMPLETED);
    }
}

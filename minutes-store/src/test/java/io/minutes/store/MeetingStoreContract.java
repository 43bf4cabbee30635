package io.minutes.store;

import io.minutes.core.testing.Items;
import io.minutes.core.domain.ActionItem;
import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.AudioRef;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.BatchStatus;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Submission;
import io.minutes.core.style.LanguageChoice;
import io.minutes.core.style.MinutesStyle;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Participant;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.MeetingQueue.FinishParams;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.domain.Priority;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.MeetingQueue.HeartbeatParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.ReapParams;
import io.minutes.core.port.MeetingQueue.ReleaseParams;
import io.minutes.core.port.BatchStore.RequeueParams;
import io.minutes.core.port.MeetingQueue.TranscribedParams;
import io.minutes.core.port.StoreEvents;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.StoreStatus;
import io.minutes.core.port.ApiKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link MeetingStore} must do. A backend's test extends this class and supplies a
 * fresh, empty store per test; nothing here knows which backend it runs on. Time is always passed
 * in explicitly, so leases expire without anyone sleeping.
 */
public abstract class MeetingStoreContract {

    protected static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    protected static final Duration LEASE = Duration.ofSeconds(30);
    protected static final String NODE_A = "node-a";
    protected static final String NODE_B = "node-b";

    protected MeetingStore store;
    /** The store's companion: it announces there the work it queues. */
    protected final StoreEvents events = new InProcessStoreEvents();

    /** Judges every move the test's stores make against MeetingState's table. */
    protected final AllowedMovesWatch moves = new AllowedMovesWatch();

    /** A fresh, empty store announcing the work it queues on {@code events}; the suite closes it after each test. */
    protected abstract MeetingStore newStore(StoreEvents events);

    @BeforeEach
    void openStore() {
        store = moves.watch(newStore(events));
    }

    @AfterEach
    void closeStore() {
        store.close();
        moves.assertOnlyAllowedMoves();
    }

    // ---- helpers -------------------------------------------------------------------------------

    protected static Transcript transcript(String text) {
        return new Transcript("vtt", List.of(
                new Segment("Alice", 0.0, 4.5, text),
                new Segment(null, null, null, "no speaker, no times")),
                List.of("cue 3 had no end time"));
    }

    protected static NewMeeting ready(String name) {
        return NewMeeting.ready(name + ".vtt", name, "sha256:" + name, transcript("said in " + name));
    }

    protected static List<NewMeeting> readyMeetings(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(i -> ready(prefix + i)).toList();
    }

    protected static Analysis analysis(String title) {
        return new Analysis(title, "We agreed on things.",
                List.of(Items.action("send the notes", "Alice", "Friday", 0, "Alice", "I will send the notes"), Items.action("book a room", null, null)),
                Items.findings("ship it"), Items.findings("who pays?"), List.of("budget"),
                List.of(new Participant("Alice", 120, 42.5), new Participant("Bob", 3, null)));
    }

    protected Batch createBatch(String runKey, Instant at, List<NewMeeting> meetings) {
        return store.batchCreate(TestBatches.batch(runKey, "sim", at, meetings));
    }

    protected List<ClaimedMeeting> claim(String owner, int limit, Instant now) {
        return store.meetingsClaim(new ClaimParams(owner, limit, now, LEASE));
    }

    protected ClaimedMeeting claimOne(String owner, Instant now) {
        List<ClaimedMeeting> claimed = claim(owner, 1, now);
        assertThat(claimed).as("one meeting due at %s", now).hasSize(1);
        return claimed.getFirst();
    }

    protected boolean complete(ClaimedMeeting claimed, String owner, int attempt, Usage usage, Instant now) {
        return store.meetingFinish(new FinishParams(claimed.id(), owner, attempt, Outcome.completed(analysis(claimed.title()), usage), now));
    }

    protected Meeting meeting(String batchId, int index) {
        return store.meetingsList(batchId).get(index);
    }

    protected Meeting meeting(ClaimedMeeting claimed) {
        return meeting(claimed.batchId(), claimed.index());
    }

    protected BatchCounts counts(String batchId) {
        return store.batchGet(batchId).orElseThrow().counts();
    }

    // ---- creating and reading batches ----------------------------------------------------------

    @Test
    void keepsMeetingsInInputOrderWithWhatIngestDecided() {
        Batch batch = createBatch("run-1", T0, List.of(
                ready("zeta"),
                NewMeeting.skipped("dup.vtt", "dup", "duplicate of zeta.vtt"),
                NewMeeting.unreadable("broken.docx", "broken", Failure.permanent("not a docx file")),
                ready("alpha")));

        List<Meeting> meetings = store.meetingsList(batch.id());

        assertThat(meetings).extracting(Meeting::source)
                .containsExactly("zeta.vtt", "dup.vtt", "broken.docx", "alpha.vtt");
        assertThat(meetings).extracting(Meeting::index).containsExactly(0, 1, 2, 3);
        assertThat(meetings).extracting(Meeting::state).containsExactly(
                MeetingState.QUEUED, MeetingState.SKIPPED, MeetingState.FAILED, MeetingState.QUEUED);
        assertThat(meetings).allSatisfy(m -> {
            assertThat(m.batchId()).isEqualTo(batch.id());
            assertThat(m.attemptCount()).isZero();
            assertThat(m.attempts()).isEmpty();
        });

        Meeting zeta = meetings.get(0);
        assertThat(zeta.id()).startsWith("mtg_");
        assertThat(zeta.title()).isEqualTo("zeta");
        assertThat(zeta.contentHash()).isEqualTo("sha256:zeta");
        assertThat(zeta.notBefore()).isEqualTo(T0);
        assertThat(zeta.lastFailure()).isNull();
        assertThat(meetings.get(1).skipReason()).isEqualTo("duplicate of zeta.vtt");
        assertThat(meetings.get(2).lastFailure()).isEqualTo(Failure.permanent("not a docx file"));
    }

    @Test
    void anUnreadableMeetingFailsAsPermanentWhateverKindIngestGave() {
        Batch batch = createBatch("run-1", T0, List.of(
                NewMeeting.unreadable("a.zip", "a", Failure.transientFailure("zip entry unreadable"))));

        assertThat(meeting(batch.id(), 0).lastFailure().kind()).isEqualTo(Failure.Kind.PERMANENT);
    }

    @Test
    void batchCarriesItsRunKeyProviderTimeAndCounts() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a"), ready("b"),
                NewMeeting.skipped("c.txt", "c", "empty")));

        assertThat(batch.id()).startsWith("batch_");
        assertThat(batch.runKey()).isEqualTo("run-1");
        assertThat(batch.provider()).isEqualTo("sim");
        assertThat(batch.submittedAt()).isEqualTo(T0);
        assertThat(batch.counts()).isEqualTo(new BatchCounts(2, 0, 0, 0, 1, 0));
        assertThat(batch.usage()).isEqualTo(Usage.NONE);
        assertThat(store.batchGet(batch.id())).contains(batch);
    }

    @Test
    void anEmptyBatchIsFinished() {
        Batch batch = createBatch("run-1", T0, List.of());

        assertThat(batch.counts()).isEqualTo(BatchCounts.EMPTY);
        assertThat(store.meetingsList(batch.id())).isEmpty();
    }

    @Test
    void unknownBatchIsEmpty() {
        assertThat(store.batchGet("batch_nope")).isEmpty();
        assertThat(store.meetingsList("batch_nope")).isEmpty();
        assertThat(store.batchFindByRunKey("nope")).isEmpty();
    }

    @Test
    void runKeyFindsTheNewestBatch() {
        createBatch("run-1", T0, List.of(ready("a")));
        Batch newer = createBatch("run-1", T0.plusSeconds(60), List.of(ready("a")));
        createBatch("run-2", T0.plusSeconds(120), List.of(ready("a")));

        assertThat(store.batchFindByRunKey("run-1")).map(Batch::id).contains(newer.id());
    }

    @Test
    void transcriptSurvivesTheRoundTrip() {
        Transcript original = transcript("hello");
        createBatch("run-1", T0, List.of(NewMeeting.ready("a.vtt", "a", "h", original)));

        assertThat(claimOne(NODE_A, T0).transcript()).isEqualTo(original);
    }

    // ---- claiming ------------------------------------------------------------------------------

    @Test
    void claimLeasesTheMeetingAndOpensAttemptOne() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));

        ClaimedMeeting claimed = claimOne(NODE_A, T0.plusSeconds(1));

        assertThat(claimed.batchId()).isEqualTo(batch.id());
        assertThat(claimed.index()).isZero();
        assertThat(claimed.source()).isEqualTo("a.vtt");
        assertThat(claimed.title()).isEqualTo("a");
        assertThat(claimed.attempt()).isEqualTo(1);
        assertThat(claimed.leaseExpiresAt()).isEqualTo(T0.plusSeconds(1).plus(LEASE));
        Meeting stored = meeting(claimed);
        assertThat(stored.state()).isEqualTo(MeetingState.RUNNING);
        assertThat(stored.attemptCount()).isEqualTo(1);
        assertThat(stored.attempts()).containsExactly(new Attempt(1, T0.plusSeconds(1), null, null));
        assertThat(store.leaseOwners()).containsExactly(NODE_A);
        assertThat(counts(batch.id())).isEqualTo(new BatchCounts(0, 1, 0, 0, 0, 0));
        assertThat(claim(NODE_B, 10, T0.plusSeconds(2))).as("nothing left to claim").isEmpty();
    }

    @Test
    void claimsGoRoundRobinAcrossBatchesInInputOrder() {
        Batch a = createBatch("run-a", T0, readyMeetings("a", 10));
        Batch b = createBatch("run-b", T0.plusSeconds(1), readyMeetings("b", 3));

        List<ClaimedMeeting> first = claim(NODE_A, 4, T0.plusSeconds(2));

        assertThat(first).extracting(ClaimedMeeting::source)
                .containsExactly("a0.vtt", "b0.vtt", "a1.vtt", "b1.vtt");

        List<ClaimedMeeting> rest = claim(NODE_A, 100, T0.plusSeconds(2));
        assertThat(rest).extracting(ClaimedMeeting::source).containsExactly(
                "a2.vtt", "b2.vtt", "a3.vtt", "a4.vtt", "a5.vtt", "a6.vtt", "a7.vtt", "a8.vtt", "a9.vtt");
        assertThat(counts(a.id()).running()).isEqualTo(10);
        assertThat(counts(b.id()).running()).isEqualTo(3);
    }

    @Test
    void aSmallBatchSubmittedLaterTakesTheNextSlotsUntilItHoldsItsShare() {
        createBatch("run-big", T0, readyMeetings("big", 20));
        claim(NODE_A, 5, T0.plusSeconds(1));
        createBatch("run-small", T0.plusSeconds(2), readyMeetings("small", 2));

        // big has 5 in flight: its next meeting's turn is 6, the small batch's are 1 and 2
        assertThat(claim(NODE_A, 3, T0.plusSeconds(3))).extracting(ClaimedMeeting::source)
                .containsExactly("small0.vtt", "small1.vtt", "big5.vtt");
    }

    @Test
    void slotsFreedOneAtATimeStillGoRoundRobin() {
        Batch big = createBatch("run-big", T0, readyMeetings("big", 20));
        List<ClaimedMeeting> running = new java.util.ArrayList<>(claim(NODE_A, 4, T0.plusSeconds(1)));
        createBatch("run-small", T0.plusSeconds(2), readyMeetings("small", 4));

        List<String> order = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) { // a semaphore of 4: each finished meeting frees one slot
            ClaimedMeeting done = running.removeFirst();
            assertThat(complete(done, NODE_A, done.attempt(), Usage.NONE, T0.plusSeconds(3))).isTrue();
            ClaimedMeeting next = claimOne(NODE_A, T0.plusSeconds(3));
            order.add(next.source());
            running.add(next);
        }

        // the small batch takes slots until both hold 2, then they alternate
        assertThat(order).containsExactly("small0.vtt", "small1.vtt", "big4.vtt", "big5.vtt", "small2.vtt", "small3.vtt");
        assertThat(counts(big.id()).completed()).isEqualTo(4);
    }

    @Test
    void aBatchKeepsItsPriority() {
        Batch high = store.batchCreate(TestBatches.batch("run-h", "sim", T0, readyMeetings("h", 1), Priority.HIGH));
        Batch plain = createBatch("run-n", T0, readyMeetings("n", 1));

        assertThat(store.batchGet(high.id()).orElseThrow().priority()).isEqualTo(Priority.HIGH);
        assertThat(store.batchFindByRunKey("run-h").orElseThrow().priority()).isEqualTo(Priority.HIGH);
        assertThat(plain.priority()).isEqualTo(Priority.NORMAL);
    }

    @Test
    void claimsAreWeightedByPriorityFourToTwoToOne() {
        store.batchCreate(TestBatches.batch("run-low", "sim", T0, readyMeetings("low", 10), Priority.LOW));
        store.batchCreate(TestBatches.batch("run-normal", "sim", T0.plusSeconds(1), readyMeetings("normal", 10),
                Priority.NORMAL));
        store.batchCreate(TestBatches.batch("run-high", "sim", T0.plusSeconds(2), readyMeetings("high", 10),
                Priority.HIGH));

        // turns: high 1,2,3,4,...; normal 2,4,...; low 4,...; older batches first within a turn
        assertThat(claim(NODE_A, 7, T0.plusSeconds(3))).extracting(ClaimedMeeting::source).containsExactly(
                "high0.vtt", "normal0.vtt", "high1.vtt", "high2.vtt", "low0.vtt", "normal1.vtt", "high3.vtt");
        assertThat(claim(NODE_A, 7, T0.plusSeconds(3))).extracting(ClaimedMeeting::source).containsExactly(
                "high4.vtt", "normal2.vtt", "high5.vtt", "high6.vtt", "low1.vtt", "normal3.vtt", "high7.vtt");
    }

    @Test
    void aLowPriorityBatchIsNeverStarved() {
        store.batchCreate(TestBatches.batch("run-high", "sim", T0, readyMeetings("high", 100), Priority.HIGH));
        store.batchCreate(TestBatches.batch("run-low", "sim", T0.plusSeconds(1), readyMeetings("low", 3), Priority.LOW));

        List<String> claimed = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) claim(NODE_A, 5, T0.plusSeconds(2)).forEach(m -> claimed.add(m.source()));

        assertThat(claimed).contains("low0.vtt", "low1.vtt", "low2.vtt");
    }

    @Test
    void skippedAndFailedMeetingsAreNeverClaimed() {
        createBatch("run-1", T0, List.of(
                NewMeeting.skipped("s.vtt", "s", "empty"),
                NewMeeting.unreadable("u.vtt", "u", Failure.permanent("bad")),
                ready("r")));

        assertThat(claim(NODE_A, 10, T0)).extracting(ClaimedMeeting::source).containsExactly("r.vtt");
    }

    @Test
    void limitIsRespected() {
        createBatch("run-1", T0, readyMeetings("m", 5));

        assertThat(claim(NODE_A, 0, T0)).isEmpty();
        assertThat(claim(NODE_A, 3, T0)).hasSize(3);
        assertThat(claim(NODE_A, 3, T0)).hasSize(2);
    }

    @Test
    void aMeetingIsNotClaimedBeforeItsNotBefore() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting first = claimOne(NODE_A, T0);
        Instant retryAt = T0.plusSeconds(60);
        assertThat(store.meetingFinish(new FinishParams(first.id(), NODE_A, 1, Outcome.retryAt(retryAt, Failure.transientFailure("503")), T0.plusSeconds(5)))).isTrue();

        assertThat(claim(NODE_A, 10, retryAt.minusMillis(1))).isEmpty();
        assertThat(store.nextDueAt()).contains(retryAt);

        ClaimedMeeting second = claimOne(NODE_B, retryAt);
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(meeting(batch.id(), 0).attempts()).extracting(Attempt::number).containsExactly(1, 2);
    }

    @Test
    void nextDueAtIsTheEarliestQueuedMeeting() {
        assertThat(store.nextDueAt()).isEmpty();
        createBatch("run-1", T0.plusSeconds(10), List.of(ready("a")));
        createBatch("run-2", T0, List.of(ready("b")));
        assertThat(store.nextDueAt()).contains(T0);

        claim(NODE_A, 10, T0.plusSeconds(20));
        assertThat(store.nextDueAt()).as("nothing queued").isEmpty();
    }

    @Test
    void concurrentClaimsNeverHandOneMeetingToTwoClaimers() throws Exception {
        createBatch("run-a", T0, readyMeetings("a", 120));
        createBatch("run-b", T0.plusSeconds(1), readyMeetings("b", 80));
        int claimers = 8;
        ConcurrentLinkedQueue<String> claimedIds = new ConcurrentLinkedQueue<>();
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(claimers)) {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < claimers; c++) {
                String owner = "node-" + c;
                done.add(pool.submit(() -> {
                    start.await();
                    List<ClaimedMeeting> got;
                    while (!(got = claim(owner, 7, T0.plusSeconds(2))).isEmpty()) {
                        got.forEach(m -> claimedIds.add(m.id()));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        }

        assertThat(claimedIds).hasSize(200).doesNotHaveDuplicates();
        assertThat(store.leaseOwners()).hasSizeGreaterThan(0);
    }

    // ---- finishing an attempt, guarded by the lease --------------------------------------------

    @Test
    void completeStoresTheMinutesAndClosesTheAttempt() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        Usage usage = new Usage(1200, 300, 0.0042);

        assertThat(complete(claimed, NODE_A, 1, usage, T0.plusSeconds(7))).isTrue();

        Meeting done = meeting(batch.id(), 0);
        assertThat(done.state()).isEqualTo(MeetingState.COMPLETED);
        assertThat(done.analysis()).isEqualTo(analysis("a"));
        assertThat(done.usage()).isEqualTo(usage);
        assertThat(done.completedAt()).isEqualTo(T0.plusSeconds(7));
        assertThat(done.lastFailure()).isNull();
        assertThat(done.attempts()).containsExactly(new Attempt(1, T0, T0.plusSeconds(7), null));
        assertThat(done.attempts().getFirst().succeeded()).isTrue();
        assertThat(store.leaseOwners()).isEmpty();
        Batch after = store.batchGet(batch.id()).orElseThrow();
        assertThat(after.counts()).isEqualTo(new BatchCounts(0, 0, 1, 0, 0, 0));
        assertThat(after.status()).isEqualTo(BatchStatus.COMPLETED);
    }

    @Test
    void retryQueuesAgainAndKeepsTheFailure() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        Failure failure = new Failure(Failure.Kind.TRANSIENT, "429 too many requests", Duration.ofSeconds(20));

        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 1, Outcome.retryAt(T0.plusSeconds(30), failure), T0.plusSeconds(2)))).isTrue();

        Meeting queued = meeting(batch.id(), 0);
        assertThat(queued.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(queued.notBefore()).isEqualTo(T0.plusSeconds(30));
        assertThat(queued.lastFailure()).isEqualTo(failure);
        assertThat(queued.attemptCount()).isEqualTo(1);
        assertThat(queued.attempts()).containsExactly(new Attempt(1, T0, T0.plusSeconds(2), failure));
        assertThat(store.leaseOwners()).isEmpty();
    }

    @Test
    void failEndsTheMeeting() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a"), ready("b")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        Failure failure = Failure.permanent("400 context length exceeded");

        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 1, Outcome.failed(failure), T0.plusSeconds(3)))).isTrue();

        Meeting failed = meeting(batch.id(), 0);
        assertThat(failed.state()).isEqualTo(MeetingState.FAILED);
        assertThat(failed.lastFailure()).isEqualTo(failure);
        assertThat(failed.attempts()).containsExactly(new Attempt(1, T0, T0.plusSeconds(3), failure));
        assertThat(claim(NODE_A, 10, T0.plusSeconds(4))).extracting(ClaimedMeeting::source)
                .as("a failed meeting is not claimed again").containsExactly("b.vtt");
    }

    @Test
    void writesFromTheWrongOwnerOrAttemptAreRefusedAndChangeNothing() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        List<Meeting> before = store.meetingsList(batch.id());
        Instant now = T0.plusSeconds(1);
        Failure failure = Failure.transientFailure("timeout");

        assertThat(complete(claimed, NODE_B, 1, Usage.NONE, now)).isFalse();
        assertThat(complete(claimed, NODE_A, 2, Usage.NONE, now)).isFalse();
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_B, 1, Outcome.retryAt(now, failure), now))).isFalse();
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 0, Outcome.retryAt(now, failure), now))).isFalse();
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_B, 1, Outcome.failed(failure), now))).isFalse();
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 3, Outcome.failed(failure), now))).isFalse();
        assertThat(store.meetingRelease(new ReleaseParams(claimed.id(), NODE_B, now))).isFalse();
        assertThat(store.meetingsHeartbeat(new HeartbeatParams(NODE_B, Set.of(claimed.id()), now, LEASE))).isEmpty();

        assertThat(store.meetingsList(batch.id())).isEqualTo(before);
    }

    @Test
    void aWorkerThatLostItsLeaseCannotWriteItsStaleResult() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting stale = claimOne(NODE_A, T0);
        store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plus(LEASE).plusSeconds(1), null, 5));
        ClaimedMeeting current = claimOne(NODE_A, T0.plus(LEASE).plusSeconds(2));
        assertThat(current.attempt()).isEqualTo(2);

        assertThat(complete(stale, NODE_A, stale.attempt(), Usage.NONE, T0.plus(LEASE).plusSeconds(3)))
                .as("same owner, but the attempt it holds is gone").isFalse();
        assertThat(meeting(batch.id(), 0).state()).isEqualTo(MeetingState.RUNNING);
        assertThat(complete(current, NODE_A, current.attempt(), Usage.NONE, T0.plus(LEASE).plusSeconds(4))).isTrue();
    }

    @Test
    void aFinishedMeetingNeverMovesAgain() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        assertThat(complete(claimed, NODE_A, 1, new Usage(10, 5, 0.01), T0.plusSeconds(1))).isTrue();
        Meeting done = meeting(batch.id(), 0);
        Instant later = T0.plusSeconds(2);

        assertThat(complete(claimed, NODE_A, 1, Usage.NONE, later)).isFalse();
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 1, Outcome.retryAt(later, Failure.transientFailure("x")), later))).isFalse();
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 1, Outcome.failed(Failure.permanent("x")), later))).isFalse();
        assertThat(store.meetingRelease(new ReleaseParams(claimed.id(), NODE_A, later))).isFalse();
        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(later.plus(Duration.ofDays(1)), NODE_A, 1))).isZero();
        assertThat(store.meetingsRequeue(RequeueParams.failedAndCancelled(batch.id(), later))).isZero();

        assertThat(meeting(batch.id(), 0)).isEqualTo(done);
    }

    @Test
    void releaseGivesTheMeetingBackWithoutCountingTheAttempt() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);

        assertThat(store.meetingRelease(new ReleaseParams(claimed.id(), NODE_A, T0.plusSeconds(1)))).isTrue();

        Meeting released = meeting(batch.id(), 0);
        assertThat(released.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(released.attemptCount()).isZero();
        assertThat(released.attempts()).isEmpty();
        assertThat(store.leaseOwners()).isEmpty();
        ClaimedMeeting again = claimOne(NODE_B, T0.plusSeconds(1));
        assertThat(again.id()).isEqualTo(claimed.id());
        assertThat(again.attempt()).isEqualTo(1);
    }

    @Test
    void releaseAfterARetryKeepsTheEarlierAttempts() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting first = claimOne(NODE_A, T0);
        Failure failure = Failure.transientFailure("reset");
        store.meetingFinish(new FinishParams(first.id(), NODE_A, 1, Outcome.retryAt(T0, failure), T0.plusSeconds(1)));
        claimOne(NODE_A, T0.plusSeconds(2));

        assertThat(store.meetingRelease(new ReleaseParams(first.id(), NODE_A, T0.plusSeconds(3)))).isTrue();

        Meeting released = meeting(batch.id(), 0);
        assertThat(released.attemptCount()).isEqualTo(1);
        assertThat(released.attempts()).containsExactly(new Attempt(1, T0, T0.plusSeconds(1), failure));
        assertThat(claimOne(NODE_B, T0.plusSeconds(4)).attempt()).isEqualTo(2);
    }

    // ---- leases: heartbeat and reaping ---------------------------------------------------------

    @Test
    void heartbeatExtendsOnlyTheLeasesTheOwnerStillHolds() {
        createBatch("run-1", T0, readyMeetings("m", 3));
        List<ClaimedMeeting> mine = claim(NODE_A, 2, T0);
        ClaimedMeeting theirs = claimOne(NODE_B, T0);
        Set<String> asked = Set.of(mine.get(0).id(), mine.get(1).id(), theirs.id(), "mtg_unknown");

        Set<String> extended = store.meetingsHeartbeat(new HeartbeatParams(NODE_A, asked, T0.plusSeconds(20), LEASE));

        assertThat(extended).containsExactlyInAnyOrder(mine.get(0).id(), mine.get(1).id());
        // first lease ended at T0+30s; the extended one ends at T0+50s
        Instant afterFirstLease = T0.plusSeconds(40);
        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(afterFirstLease, null, 5)))
                .as("only node-b's lease expired").isEqualTo(1);
        assertThat(store.leaseOwners()).containsExactly(NODE_A);
        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plusSeconds(51), null, 5))).isEqualTo(2);
    }

    @Test
    void nothingIsReapedBeforeTheLeaseExpires() {
        createBatch("run-1", T0, List.of(ready("a")));
        claimOne(NODE_A, T0);

        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plus(LEASE), null, 5))).isZero();
        assertThat(store.leaseOwners()).containsExactly(NODE_A);
    }

    @Test
    void anExpiredLeaseQueuesTheMeetingAgainAndRecordsTheLostAttempt() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        claimOne(NODE_A, T0);
        Instant reapAt = T0.plus(LEASE).plusMillis(1);

        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(reapAt, null, 3))).isEqualTo(1);

        Meeting reaped = meeting(batch.id(), 0);
        assertThat(reaped.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(reaped.notBefore()).isEqualTo(reapAt);
        assertThat(reaped.attemptCount()).isEqualTo(1);
        Attempt lost = reaped.attempts().getFirst();
        assertThat(lost.finishedAt()).isEqualTo(reapAt);
        assertThat(lost.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(lost.failure().message()).startsWith("lease expired");
        assertThat(reaped.lastFailure()).isEqualTo(lost.failure());
        assertThat(store.leaseOwners()).isEmpty();
        assertThat(claimOne(NODE_B, reapAt).attempt()).isEqualTo(2);
    }

    @Test
    void aMeetingWhoseWorkerStopsEveryTimeFailsAfterItsLeasesLostInARowAndSaysSo() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        int maxLostInARow = 2;
        Instant now = T0;
        for (int attempt = 1; attempt <= maxLostInARow; attempt++) {
            assertThat(claimOne(NODE_A, now).attempt()).isEqualTo(attempt);
            now = now.plus(LEASE).plusSeconds(1);
            assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(now, null, maxLostInARow))).isEqualTo(1);
        }

        Meeting failed = meeting(batch.id(), 0);
        assertThat(failed.state()).isEqualTo(MeetingState.FAILED);
        assertThat(failed.lastFailure().message()).startsWith("the worker holding this meeting lost its lease 2 times in a row")
                .contains("look at the workers' logs");
        assertThat(failed.attempts()).hasSize(2).allSatisfy(a -> assertThat(a.failure().message()).startsWith("lease expired"));
        assertThat(claim(NODE_A, 10, now)).isEmpty();
        assertThat(store.batchGet(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.FAILED);
    }

    @Test
    void threeLostLeasesInARowUseNoneOfTheMeetingsAttempts() {
        Batch once = submitWithMaxAttempts(1, T0, ready("once"));
        Instant now = T0;
        for (int crash = 1; crash <= 3; crash++) {
            ClaimedMeeting claimed = claimOne(NODE_A, now);
            assertThat(claimed.attempt()).isEqualTo(crash);
            assertThat(claimed.attemptInRun()).as("lost leases are not the meeting's attempts").isEqualTo(1);
            now = now.plus(LEASE).plusSeconds(1);
            assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(now, null, 5))).isEqualTo(1);
            assertThat(meeting(once.id(), 0).state()).as("its batch allows 1 attempt, yet crash %d is retried", crash)
                    .isEqualTo(MeetingState.QUEUED);
        }
        ClaimedMeeting fourth = claimOne(NODE_A, now);
        assertThat(complete(fourth, NODE_A, fourth.attempt(), Usage.NONE, now.plusSeconds(1))).isTrue();
        assertThat(meeting(once.id(), 0).state()).isEqualTo(MeetingState.COMPLETED);
    }

    @Test
    void aLostLeaseIsDueAgainWhenItsRetryPolicySaysFromHowManyWereLostInARow() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        List<Integer> asked = new ArrayList<>();
        MeetingStore.LostLeaseOutcomes backoff = (lease, now) -> {
            asked.add(lease.lostInARow());
            return MeetingStore.Outcome.retryAt(now.plusSeconds(10L * lease.lostInARow()), lease.failure());
        };
        claimOne(NODE_A, T0);
        Instant firstReap = T0.plus(LEASE).plusSeconds(1);
        store.meetingsReap(new ReapParams(firstReap, null, backoff));
        assertThat(meeting(batch.id(), 0).notBefore()).isEqualTo(firstReap.plusSeconds(10));
        assertThat(claim(NODE_A, 1, firstReap.plusSeconds(9))).as("not due during its backoff").isEmpty();

        ClaimedMeeting second = claimOne(NODE_A, firstReap.plusSeconds(10));
        Instant secondReap = firstReap.plusSeconds(10).plus(LEASE).plusSeconds(1);
        store.meetingsReap(new ReapParams(secondReap, null, backoff));
        assertThat(meeting(batch.id(), 0).notBefore()).isEqualTo(secondReap.plusSeconds(20));

        // an attempt that ends with an outcome ends the run of lost leases
        ClaimedMeeting third = claimOne(NODE_A, secondReap.plusSeconds(20));
        Instant failedAt = secondReap.plusSeconds(21);
        assertThat(store.meetingFinish(new FinishParams(third.id(), NODE_A, third.attempt(), Outcome.retryAt(failedAt, Failure.transientFailure("HTTP 503")), failedAt))).isTrue();
        claimOne(NODE_A, failedAt);
        store.meetingsReap(new ReapParams(failedAt.plus(LEASE).plusSeconds(1), null, backoff));

        assertThat(asked).containsExactly(1, 2, 1);
        assertThat(second.attemptInRun()).isEqualTo(1);
    }

    @Test
    void aLostLeaseIsHandedToItsRetryPolicyAsALeaseLostFailure() {
        createBatch("run-1", T0, List.of(ready("a")));
        List<Failure> handed = new ArrayList<>();
        MeetingStore.LostLeaseOutcomes again = (lease, now) -> {
            handed.add(lease.failure());
            return MeetingStore.Outcome.retryAt(now, lease.failure());
        };
        claimOne(NODE_A, T0);

        assertThat(store.meetingsReap(new ReapParams(T0.plus(LEASE).plusSeconds(1), null, again))).isEqualTo(1);

        assertThat(handed).singleElement().satisfies(failure -> {
            assertThat(failure.cause()).isEqualTo(Failure.Cause.LEASE_LOST);
            assertThat(failure.usesAnAttempt()).as("a lost lease is bounded by its own count").isFalse();
        });
    }

    @Test
    void a429UsesNoneOfTheMeetingsAttemptsAndKeepsWhenTheRefusalsBegan() {
        Batch once = submitWithMaxAttempts(1, T0, ready("once"));
        Instant now = T0;
        for (int refusal = 1; refusal <= 3; refusal++) {
            ClaimedMeeting claimed = claimOne(NODE_A, now);
            assertThat(claimed.attemptInRun()).as("refusal %d", refusal).isEqualTo(1);
            Instant refusedAt = now.plusSeconds(1);
            assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, claimed.attempt(), Outcome.retryAt(refusedAt, Failure.rateLimited("HTTP 429", Duration.ofMillis(50))), refusedAt))).isTrue();
            assertThat(store.meetingRateLimitedSince(claimed.id())).as("the first refusal").contains(T0.plusSeconds(1));
            now = refusedAt;
        }
        ClaimedMeeting fourth = claimOne(NODE_A, now);
        assertThat(store.meetingFinish(new FinishParams(fourth.id(), NODE_A, fourth.attempt(), Outcome.retryAt(now, Failure.transientFailure("HTTP 503")), now))).isTrue();
        assertThat(store.meetingRateLimitedSince(fourth.id())).as("a failure of its own ends the run of 429s").isEmpty();
        assertThat(claimOne(NODE_A, now).attemptInRun()).as("and uses an attempt").isEqualTo(2);
        assertThat(meeting(once.id(), 0).attempts()).hasSize(5);
    }

    @Test
    void aDeadOwnersLeasesAreReapedBeforeTheyExpire() {
        Batch batch = createBatch("run-1", T0, readyMeetings("m", 3));
        claim(NODE_A, 2, T0);
        claimOne(NODE_B, T0);

        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plusSeconds(1), NODE_A, 5))).isEqualTo(2);

        assertThat(store.leaseOwners()).containsExactly(NODE_B);
        assertThat(counts(batch.id())).isEqualTo(new BatchCounts(2, 1, 0, 0, 0, 0));
    }

    // ---- running a batch again, and what a batch adds up to ------------------------------------

    @Test
    void requeueQueuesFailedMeetingsButNotThoseThatFailedAtIngest() {
        Batch batch = createBatch("run-1", T0, List.of(
                ready("a"), ready("b"),
                NewMeeting.unreadable("u.docx", "u", Failure.permanent("corrupt")),
                NewMeeting.skipped("s.vtt", "s", "empty")));
        Batch other = createBatch("run-2", T0, List.of(ready("x")));
        List<ClaimedMeeting> claimed = claim(NODE_A, 3, T0);
        ClaimedMeeting a = bySource(claimed, "a.vtt");
        ClaimedMeeting b = bySource(claimed, "b.vtt");
        ClaimedMeeting x = bySource(claimed, "x.vtt");
        store.meetingFinish(new FinishParams(a.id(), NODE_A, 1, Outcome.failed(Failure.permanent("400")), T0.plusSeconds(1)));
        complete(b, NODE_A, 1, Usage.NONE, T0.plusSeconds(1));
        store.meetingFinish(new FinishParams(x.id(), NODE_A, 1, Outcome.failed(Failure.permanent("400")), T0.plusSeconds(1)));

        assertThat(store.meetingsRequeue(RequeueParams.failedAndCancelled(batch.id(), T0.plusSeconds(10)))).isEqualTo(1);

        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(meetings).extracting(Meeting::state).containsExactly(
                MeetingState.QUEUED, MeetingState.COMPLETED, MeetingState.FAILED, MeetingState.SKIPPED);
        assertThat(meetings.getFirst().notBefore()).isEqualTo(T0.plusSeconds(10));
        assertThat(meeting(other.id(), 0).state()).as("other batches untouched").isEqualTo(MeetingState.FAILED);

        ClaimedMeeting again = claimOne(NODE_B, T0.plusSeconds(10));
        assertThat(again.id()).isEqualTo(a.id());
        assertThat(again.attempt()).as("attempt numbers stay unique").isEqualTo(2);
        assertThat(again.attemptInRun()).as("the rerun has a fresh retry budget").isEqualTo(1);
        assertThat(meeting(batch.id(), 0).attempts()).extracting(Attempt::number).containsExactly(1, 2);
    }

    @Test
    void aRerunGivesTheReaperAFreshRetryBudget() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a")));
        ClaimedMeeting first = claimOne(NODE_A, T0);
        store.meetingFinish(new FinishParams(first.id(), NODE_A, 1, Outcome.failed(Failure.permanent("400")), T0.plusSeconds(1)));
        store.meetingsRequeue(RequeueParams.failedAndCancelled(batch.id(), T0.plusSeconds(2)));
        claimOne(NODE_A, T0.plusSeconds(2));

        // attempt 2 overall, but the first of this run: with max 2 attempts the lost lease is retried
        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plusSeconds(3), NODE_A, 2))).isEqualTo(1);
        assertThat(meeting(batch.id(), 0).state()).isEqualTo(MeetingState.QUEUED);
    }

    @Test
    void countsAndStatusFollowTheMeetings() {
        Batch batch = createBatch("run-1", T0, List.of(ready("a"), ready("b"), ready("c"),
                NewMeeting.skipped("s.vtt", "s", "empty")));
        assertThat(batch.status()).isEqualTo(BatchStatus.PROCESSING);
        List<ClaimedMeeting> claimed = claim(NODE_A, 2, T0);
        assertThat(counts(batch.id())).isEqualTo(new BatchCounts(1, 2, 0, 0, 1, 0));

        complete(claimed.get(0), NODE_A, 1, Usage.NONE, T0.plusSeconds(1));
        store.meetingFinish(new FinishParams(claimed.get(1).id(), NODE_A, 1, Outcome.failed(Failure.permanent("400")), T0.plusSeconds(1)));
        assertThat(counts(batch.id())).isEqualTo(new BatchCounts(1, 0, 1, 1, 1, 0));
        assertThat(store.batchGet(batch.id()).orElseThrow().status()).isEqualTo(BatchStatus.PROCESSING);

        ClaimedMeeting last = claimOne(NODE_A, T0.plusSeconds(2));
        complete(last, NODE_A, 1, Usage.NONE, T0.plusSeconds(3));
        Batch finished = store.batchGet(batch.id()).orElseThrow();
        assertThat(finished.counts()).isEqualTo(new BatchCounts(0, 0, 2, 1, 1, 0));
        assertThat(finished.status()).isEqualTo(BatchStatus.PARTIAL);
        assertThat(store.batchFindByRunKey("run-1")).contains(finished);
    }

    /**
     * The counts are kept as meetings change (not aggregated when asked): after every kind of change,
     * in any order, on several batches at once, they must equal what the meetings themselves add up to.
     */
    @Test
    void countsKeptAsMeetingsChangeAlwaysEqualWhatTheMeetingsAddUpTo() {
        Batch first = createBatch("run-1", T0, List.of(ready("a"), ready("b"), ready("c"), ready("d"), ready("e"),
                NewMeeting.skipped("s.vtt", "s", "empty"), NewMeeting.unreadable("u.docx", "u", Failure.permanent("corrupt"))));
        Batch second = createBatch("run-2", T0, readyMeetings("x", 6));
        // duplicates of queued meetings of the first batch, which they replace (skipped there)
        Batch third = store.batchCreate(TestBatches.batch("run-3", "sim", T0.plusSeconds(1),
                List.of(ready("d"), ready("e"), ready("y")), Priority.NORMAL, OnDuplicate.REPLACE, Tier.ORDINARY, null));
        List<String> batches = List.of(first.id(), second.id(), third.id());
        assertCountsMatchMeetings(batches);

        java.util.Random random = new java.util.Random(19);
        List<ClaimedMeeting> held = new ArrayList<>();
        Instant now = T0.plusSeconds(2);
        for (int step = 0; step < 300; step++) {
            now = now.plusSeconds(1);
            int op = random.nextInt(12);
            ClaimedMeeting m = held.isEmpty() ? null : held.remove(random.nextInt(held.size()));
            switch (op) {
                case 0, 1, 2 -> {
                    if (m != null) held.add(m);
                    held.addAll(claim(NODE_A, 1 + random.nextInt(3), now));
                }
                case 3, 4 -> {
                    if (m != null) complete(m, NODE_A, m.attempt(), new Usage(1 + random.nextInt(100), random.nextInt(50),
                            random.nextInt(8) / 8.0), now); // eighths add up exactly in binary
                }
                case 5 -> {
                    if (m != null) store.meetingFinish(new FinishParams(m.id(), NODE_A, m.attempt(), Outcome.retryAt(now.plusSeconds(random.nextInt(3)), Failure.transientFailure("503")), now));
                }
                case 6 -> {
                    if (m != null) store.meetingFinish(new FinishParams(m.id(), NODE_A, m.attempt(), Outcome.failed(Failure.permanent("400")), now));
                }
                case 7 -> {
                    if (m != null) store.meetingFinish(new MeetingStore.FinishParams(m.id(), NODE_A, m.attempt(), Outcome.skipped("too short"), now));
                }
                case 8 -> {
                    if (m != null) store.meetingRelease(new ReleaseParams(m.id(), NODE_A, now));
                }
                case 9 -> { // every lease held expires and is reaped
                    if (m != null) held.add(m);
                    now = now.plus(LEASE).plusSeconds(1);
                    store.meetingsReap(ReapFixtures.atOnceUpTo(now, null, 3));
                    held.clear();
                }
                case 10 -> {
                    if (m != null) held.add(m);
                    String batchId = batches.get(random.nextInt(batches.size()));
                    if (random.nextBoolean()) store.meetingsRequeue(RequeueParams.failedAndCancelled(batchId, now));
                    else store.meetingsRequeue(RequeueParams.failed(batchId, now));
                }
                default -> {
                    if (m != null) held.add(m);
                    if (random.nextInt(4) == 0) {
                        store.batchCancel(new BatchStore.BatchCancelParams(batches.get(random.nextInt(batches.size())), now));
                    } else if (!held.isEmpty()) {
                        store.meetingsHeartbeat(new HeartbeatParams(NODE_A,
                                Set.copyOf(held.stream().map(ClaimedMeeting::id).toList()), now, LEASE));
                    }
                }
            }
            assertCountsMatchMeetings(batches);
        }
    }

    private void assertCountsMatchMeetings(List<String> batchIds) {
        BatchCounts allCounts = BatchCounts.EMPTY;
        Usage allUsage = Usage.NONE;
        for (String batchId : batchIds) {
            BatchCounts counted = BatchCounts.EMPTY;
            Usage used = Usage.NONE;
            for (Meeting m : store.meetingsList(batchId)) {
                counted = counted.plus(m.state(), 1);
                allCounts = allCounts.plus(m.state(), 1);
                if (m.usage() != null) used = used.plus(m.usage());
            }
            Batch batch = store.batchGet(batchId).orElseThrow();
            assertThat(batch.counts()).as("counts of %s", batchId).isEqualTo(counted);
            assertThat(batch.usage()).as("usage of %s", batchId).isEqualTo(used);
            allUsage = allUsage.plus(used);
        }
        assertThat(store.countsAll().counts()).isEqualTo(allCounts);
        assertThat(store.countsAll().usage()).isEqualTo(allUsage);
    }

    @Test
    void aBatchLargerThanOneInsertRoundIsStoredWholeInInputOrder() {
        Batch batch = createBatch("run-1", T0, readyMeetings("m", 2_500)); // the store inserts 1,000 rows at a time

        assertThat(batch.counts()).isEqualTo(new BatchCounts(2_500, 0, 0, 0, 0, 0));
        List<Meeting> meetings = store.meetingsBrief(batch.id());
        assertThat(meetings).extracting(Meeting::index).containsExactlyElementsOf(IntStream.range(0, 2_500).boxed().toList());
        assertThat(meetings.get(2_499).source()).isEqualTo("m2499.vtt");
    }

    @Test
    void pagesOfMeetingsAddUpToTheWholeListInInputOrderWithTheirAttempts() {
        Batch batch = createBatch("run-1", T0, readyMeetings("m", 7));
        createBatch("run-2", T0, readyMeetings("other", 3));
        List<ClaimedMeeting> claimed = claim(NODE_A, 10, T0);
        for (ClaimedMeeting m : claimed.subList(0, 4)) {
            store.meetingFinish(new FinishParams(m.id(), NODE_A, m.attempt(), Outcome.retryAt(T0, Failure.transientFailure("503")), T0));
        }
        for (ClaimedMeeting m : claim(NODE_A, 10, T0.plusSeconds(1))) {
            complete(m, NODE_A, m.attempt(), new Usage(3, 2, 0.5), T0.plusSeconds(2));
        }

        List<Meeting> paged = new ArrayList<>();
        int after = -1;
        for (List<Meeting> page; !(page = store.meetingsPage(new BatchStore.MeetingsPageParams(batch.id(), after, 3))).isEmpty(); ) {
            assertThat(page).hasSizeLessThanOrEqualTo(3);
            paged.addAll(page);
            after = page.getLast().index();
        }

        assertThat(paged).isEqualTo(store.meetingsList(batch.id()));
        assertThat(paged).hasSize(7).anySatisfy(m -> assertThat(m.attempts()).hasSize(2));
    }

    @Test
    void batchUsageIsTheSumOfItsMeetings() {
        Batch batch = createBatch("run-1", T0, readyMeetings("m", 3));
        Batch other = createBatch("run-2", T0, readyMeetings("o", 1));
        List<ClaimedMeeting> claimed = claim(NODE_A, 4, T0);
        for (ClaimedMeeting m : claimed) {
            Usage usage = m.batchId().equals(batch.id())
                    ? new Usage(1000L * (m.index() + 1), 100L * (m.index() + 1), 0.25 * (m.index() + 1))
                    : new Usage(99_999, 9_999, 9.0);
            assertThat(complete(m, NODE_A, 1, usage, T0.plusSeconds(1))).isTrue();
        }

        Usage total = store.batchGet(batch.id()).orElseThrow().usage();

        assertThat(total.inputTokens()).isEqualTo(6000);
        assertThat(total.outputTokens()).isEqualTo(600);
        assertThat(total.costUsd()).isCloseTo(1.5, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(store.batchGet(other.id()).orElseThrow().usage().inputTokens()).isEqualTo(99_999);
    }

    @Test
    void leaseOwnersAreTheDistinctHoldersOfRunningMeetings() {
        createBatch("run-1", T0, readyMeetings("m", 4));
        assertThat(store.leaseOwners()).isEmpty();
        claim(NODE_A, 2, T0);
        claim(NODE_B, 1, T0);

        assertThat(store.leaseOwners()).containsExactlyInAnyOrder(NODE_A, NODE_B);
    }

    @Test
    void meetingsHeldByAreTheRunningMeetingsOfOneOwner() {
        createBatch("run-1", T0, readyMeetings("m", 5));
        List<ClaimedMeeting> a = claim(NODE_A, 2, T0);
        List<ClaimedMeeting> b = claim(NODE_B, 1, T0);
        assertThat(complete(a.get(1), NODE_A, a.get(1).attempt(), Usage.NONE, T0)).isTrue();

        assertThat(store.meetingsHeldBy(NODE_A)).containsExactly(a.getFirst().id());
        assertThat(store.meetingsHeldBy(NODE_B)).containsExactly(b.getFirst().id());
        assertThat(store.meetingsHeldBy("nobody")).isEmpty();
    }

    // ---- audio meetings ------------------------------------------------------------------------

    protected static final String BLOB_KEY = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    protected static NewMeeting audio(String name) {
        return NewMeeting.audio(name + ".mp3", name, "sha256:" + BLOB_KEY, BLOB_KEY, "audio/mpeg");
    }

    protected boolean transcribed(ClaimedMeeting claimed, String owner, int attempt, Transcript transcript,
                                  TranscriptionUsage usage, Instant now) {
        return store.meetingTranscribed(new TranscribedParams(claimed.id(), owner, attempt, transcript, usage, now));
    }

    @Test
    void anAudioMeetingIsQueuedAndClaimedWithItsRecordingAndNoTranscript() {
        Batch batch = createBatch("run-1", T0, List.of(audio("standup"), ready("notes")));

        Meeting stored = meeting(batch.id(), 0);
        assertThat(stored.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(stored.contentHash()).isEqualTo("sha256:" + BLOB_KEY);
        assertThat(stored.audio()).isEqualTo(new AudioRef(BLOB_KEY, "audio/mpeg"));
        assertThat(stored.transcription()).isNull();
        assertThat(meeting(batch.id(), 1).audio()).isNull();

        List<ClaimedMeeting> claimed = claim(NODE_A, 2, T0);
        ClaimedMeeting recording = bySource(claimed, "standup.mp3");
        assertThat(recording.audio()).isEqualTo(new AudioRef(BLOB_KEY, "audio/mpeg"));
        assertThat(recording.transcript()).isNull();
        assertThat(recording.needsTranscription()).isTrue();
        assertThat(bySource(claimed, "notes.vtt").needsTranscription()).isFalse();
    }

    @Test
    void aCheckpointedTranscriptComesWithEveryLaterClaimAndItsCostIsKept() {
        Batch batch = createBatch("run-1", T0, List.of(audio("standup")));
        ClaimedMeeting first = claimOne(NODE_A, T0);
        Transcript heard = transcript("heard in the recording");

        assertThat(transcribed(first, NODE_A, 1, heard, new TranscriptionUsage(1800.0, 0.18), T0.plusSeconds(1))).isTrue();

        Meeting running = meeting(first);
        assertThat(running.state()).isEqualTo(MeetingState.RUNNING);
        assertThat(running.transcription()).isEqualTo(new TranscriptionUsage(1800.0, 0.18));
        assertThat(store.batchGet(batch.id()).orElseThrow().usage().costUsd())
                .as("money spent on transcription counts at once").isCloseTo(0.18, org.assertj.core.data.Offset.offset(1e-9));

        assertThat(store.meetingFinish(new FinishParams(first.id(), NODE_A, 1, Outcome.retryAt(T0.plusSeconds(5), Failure.transientFailure("analysis timed out")), T0.plusSeconds(2)))).isTrue();
        ClaimedMeeting second = claimOne(NODE_B, T0.plusSeconds(5));
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.transcript()).isEqualTo(heard);
        assertThat(second.needsTranscription()).isFalse();

        assertThat(complete(second, NODE_B, 2, new Usage(1000, 100, 0.02), T0.plusSeconds(6))).isTrue();
        Meeting done = meeting(second);
        assertThat(done.usage().inputTokens()).isEqualTo(1000);
        assertThat(done.usage().costUsd()).as("analysis + transcription").isCloseTo(0.20, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(done.transcription()).isEqualTo(new TranscriptionUsage(1800.0, 0.18));
        assertThat(store.batchGet(batch.id()).orElseThrow().usage().costUsd()).isCloseTo(0.20, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void aTranscriptCheckpointNeedsTheLease() {
        createBatch("run-1", T0, List.of(audio("standup"), ready("notes")));
        List<ClaimedMeeting> claimed = claim(NODE_A, 2, T0);
        ClaimedMeeting recording = bySource(claimed, "standup.mp3");
        Transcript heard = transcript("heard");

        assertThat(transcribed(recording, NODE_B, 1, heard, TranscriptionUsage.NONE, T0)).as("wrong owner").isFalse();
        assertThat(transcribed(recording, NODE_A, 2, heard, TranscriptionUsage.NONE, T0)).as("wrong attempt").isFalse();
        assertThat(transcribed(bySource(claimed, "notes.vtt"), NODE_A, 1, heard, TranscriptionUsage.NONE, T0))
                .as("not a recording").isFalse();

        store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plus(LEASE).plusSeconds(1), null, 5));
        ClaimedMeeting retaken = bySource(claim(NODE_B, 2, T0.plus(LEASE).plusSeconds(2)), "standup.mp3");

        assertThat(transcribed(recording, NODE_A, 1, heard, TranscriptionUsage.NONE, T0.plus(LEASE).plusSeconds(3)))
                .as("the lease was lost").isFalse();
        assertThat(meeting(recording).transcription()).isNull();
        assertThat(transcribed(retaken, NODE_B, retaken.attempt(), heard, TranscriptionUsage.NONE, T0.plus(LEASE).plusSeconds(3)))
                .isTrue();
    }

    @Test
    void aRerunQueuesAFailedAudioMeetingAgain() {
        Batch batch = createBatch("run-1", T0, List.of(audio("standup")));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        assertThat(store.meetingFinish(new FinishParams(claimed.id(), NODE_A, 1, Outcome.failed(Failure.permanent("standup.mp3: no transcriber is set up")), T0.plusSeconds(1)))).isTrue();

        assertThat(store.meetingsRequeue(RequeueParams.failedAndCancelled(batch.id(), T0.plusSeconds(2)))).isEqualTo(1);
        assertThat(claimOne(NODE_A, T0.plusSeconds(2)).needsTranscription()).isTrue();
    }

    protected static ClaimedMeeting bySource(List<ClaimedMeeting> claimed, String source) {
        return claimed.stream().filter(m -> m.source().equals(source)).findFirst().orElseThrow();
    }

    // ---- the HTTP service's operations -----------------------------------------------------------

    private Batch submit(String tenant, Instant at, List<Tier> tiers, NewMeeting... meetings) {
        return store.batchCreate(TestBatches.batch(null, "local", at, List.of(meetings))
                .withSubmission(new Submission(tenant, OnDuplicate.REPLACE, "high", 4), tiers));
    }

    @Test
    void aSubmittedBatchKeepsItsSubmissionAndEachMeetingsTier() {
        Batch batch = submit("acme", T0, List.of(Tier.ORDINARY, Tier.SENSITIVE), ready("a.vtt"), ready("b.vtt"));

        assertThat(store.submissionGet(batch.id())).contains(new Submission("acme", OnDuplicate.REPLACE, "high", 4));
        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(store.meetingGet(meetings.get(0).id()).orElseThrow().tier()).isEqualTo(Tier.ORDINARY);
        assertThat(store.meetingGet(meetings.get(1).id()).orElseThrow().tier()).isEqualTo(Tier.SENSITIVE);
        Batch cli = store.batchCreate(TestBatches.batch("key", "local", T0, List.of(ready("c.vtt"))));
        assertThat(store.submissionGet(cli.id())).as("a CLI batch has no submission").isEmpty();
    }

    /** Before: options.language and options.template of a batch were not kept, so every worker wrote its own settings' minutes. */
    @Test
    void aClaimCarriesTheLanguageAndTemplateItsBatchAskedFor() {
        MinutesStyle german = new MinutesStyle(LanguageChoice.parse("de", "options.language"), "council");
        for (var submission : List.of(
                new Submission(null, OnDuplicate.ALLOW_DUPLICATES, "normal", null, null, false, german),
                new Submission(null, OnDuplicate.SKIP, "normal", null, null, false, new MinutesStyle(null, "stand-up")))) {
            store.batchCreate(TestBatches.batch(null, "sim", T0, List.of(ready(submission.onDuplicate().wireName())))
                    .withSubmission(submission, List.of(Tier.ORDINARY)));
        }
        createBatch("run-1", T0, List.of(ready("cli")));

        List<ClaimedMeeting> claimed = claim(NODE_A, 3, T0);

        assertThat(bySource(claimed, "allow_duplicates.vtt").style()).isEqualTo(german);
        assertThat(bySource(claimed, "skip.vtt").style()).as("deduplicated insert").isEqualTo(new MinutesStyle(null, "stand-up"));
        assertThat(bySource(claimed, "cli.vtt").style()).as("none asked: the node's settings").isNull();
    }

    /** The day a meeting took place, given or read from its file's metadata, is kept (V018) and reaches its claim and reads. */
    @Test
    void aMeetingKeepsTheDayItTookPlace() {
        java.time.LocalDate day = java.time.LocalDate.of(2026, 3, 12);
        Batch batch = store.batchCreate(TestBatches.batch(null, "sim", T0, List.of(ready("dated").dated(day), ready("undated")))
                .withSubmission(new Submission(null, OnDuplicate.SKIP, "normal", null), List.of(Tier.ORDINARY, Tier.ORDINARY)));

        List<ClaimedMeeting> claimed = claim(NODE_A, 2, T0);

        assertThat(bySource(claimed, "dated.vtt").date()).isEqualTo(day);
        assertThat(bySource(claimed, "undated.vtt").date()).isNull();
        List<Meeting> listed = store.meetingsList(batch.id());
        assertThat(listed).extracting(Meeting::date).containsExactly(day, null);
        assertThat(store.meetingsBrief(batch.id())).extracting(Meeting::date).containsExactly(day, null);
        assertThat(store.meetingGet(listed.getFirst().id()).orElseThrow().meeting().date()).isEqualTo(day);
    }

    private Batch submitWithMaxAttempts(Integer maxAttempts, Instant at, NewMeeting... meetings) {
        return store.batchCreate(TestBatches.batch(null, "sim", at, List.of(meetings))
                .withSubmission(new Submission(null, OnDuplicate.ALLOW_DUPLICATES, "normal", maxAttempts),
                java.util.Collections.nCopies(meetings.length, Tier.ORDINARY)));
    }

    @Test
    void aClaimCarriesTheRetryBudgetItsBatchWasSubmittedWith() {
        Batch once = submitWithMaxAttempts(1, T0, ready("once"));
        Batch many = submitWithMaxAttempts(7, T0, ready("many"));
        Batch byDefault = submitWithMaxAttempts(null, T0, ready("default"));
        Batch cli = createBatch("run-1", T0, List.of(ready("cli")));

        List<ClaimedMeeting> claimed = claim(NODE_A, 4, T0);

        assertThat(claimed).hasSize(4);
        assertThat(bySource(claimed, "once.vtt").maxAttempts()).isEqualTo(1);
        assertThat(bySource(claimed, "many.vtt").maxAttempts()).isEqualTo(7);
        assertThat(bySource(claimed, "default.vtt").maxAttempts()).as("none given: the node's setting").isNull();
        assertThat(bySource(claimed, "cli.vtt").maxAttempts()).as("a CLI batch has no submission").isNull();
        assertThat(bySource(claimed, "once.vtt").batchId()).isEqualTo(once.id());
        assertThat(bySource(claimed, "many.vtt").batchId()).isEqualTo(many.id());
        assertThat(bySource(claimed, "default.vtt").batchId()).isEqualTo(byDefault.id());
        assertThat(bySource(claimed, "cli.vtt").batchId()).isEqualTo(cli.id());
    }

    @Test
    void checkWritableSucceedsOnAWritableStoreAndChangesNothing() {
        Batch batch = createBatch("run-1", T0, readyMeetings("m", 2));
        ClaimedMeeting running = claimOne(NODE_A, T0);
        List<Meeting> before = store.meetingsList(batch.id());

        store.checkWritable();

        assertThat(store.meetingsList(batch.id())).isEqualTo(before);
        assertThat(store.batchGet(batch.id()).orElseThrow()).isEqualTo(store.batchGet(batch.id()).orElseThrow());
        assertThat(complete(running, NODE_A, 1, Usage.NONE, T0.plusSeconds(1))).as("the store still takes writes").isTrue();
    }

    @Test
    void aSubmittedBudgetIsKeptWithTheBatchAndItsSubmission() {
        Batch batch = store.batchCreate(TestBatches.batch(null, "local", T0, List.of(ready("a.vtt")), io.minutes.core.domain.Priority.NORMAL,
                        OnDuplicate.SKIP, Tier.ORDINARY, 2.5)
                .withSubmission(new Submission("acme", OnDuplicate.SKIP, "normal", null, 2.5, true), List.of(Tier.ORDINARY)));

        assertThat(store.submissionGet(batch.id())).contains(new Submission("acme", OnDuplicate.SKIP, "normal", null, 2.5, true));
        assertThat(store.batchBudget(batch.id())).contains(new io.minutes.core.domain.Budget(2.5, 0, 0, 0));
    }

    @Test
    void aDeadlineIsKeptWithTheBatchWithWhenItWasSubmitted() {
        Batch batch = store.batchCreate(TestBatches.batch(null, "local", T0, List.of(ready("a.vtt")), io.minutes.core.domain.Priority.NORMAL,
                OnDuplicate.SKIP, Tier.ORDINARY, null));
        Batch other = store.batchCreate(TestBatches.batch(null, "local", T0, List.of(ready("b.vtt")), io.minutes.core.domain.Priority.NORMAL,
                OnDuplicate.SKIP, Tier.ORDINARY, null));
        assertThat(store.batchDeadline(batch.id())).as("none until one is set").isEmpty();

        Instant deadline = T0.plus(Duration.ofHours(8));
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), deadline));

        assertThat(store.batchDeadline(batch.id())).contains(new BatchStore.BatchDeadline(deadline, T0));
        assertThat(store.batchDeadline(other.id())).as("another batch's").isEmpty();
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), null));
        assertThat(store.batchDeadline(batch.id())).as("removed").isEmpty();
        assertThat(store.batchDeadline("no-such-batch")).isEmpty();
    }

    @Test
    void batchPagesAreNewestFirstAndOnlyTheTenantsOwn() {
        Batch first = submit("acme", T0, List.of(Tier.ORDINARY), ready("1.vtt"));
        Batch other = submit("globex", T0.plusSeconds(1), List.of(Tier.ORDINARY), ready("2.vtt"));
        Batch second = submit("acme", T0.plusSeconds(2), List.of(Tier.ORDINARY), ready("3.vtt"));
        Batch third = submit("acme", T0.plusSeconds(3), List.of(Tier.ORDINARY), ready("4.vtt"));

        List<Batch> page = store.batchPage(new BatchStore.BatchPageParams("acme", null, 2));
        assertThat(page).extracting(Batch::id).containsExactly(third.id(), second.id());
        assertThat(page.getFirst().counts().queued()).isEqualTo(1);
        assertThat(store.batchPage(new BatchStore.BatchPageParams("acme", second.id(), 2)))
                .extracting(Batch::id).containsExactly(first.id());
        assertThat(store.batchPage(new BatchStore.BatchPageParams(null, null, 10)))
                .extracting(Batch::id).containsExactly(third.id(), second.id(), other.id(), first.id());
    }

    @Test
    void cancellingABatchCancelsQueuedAndRunningMeetingsAndTheWorkerCannotCompleteAfterwards() {
        Batch batch = store.batchCreate(TestBatches.batch("k", "local", T0, readyMeetings("m", 3)));
        ClaimedMeeting running = store.meetingsClaim(new ClaimParams(NODE_A, 1, T0, LEASE)).getFirst();

        int cancelled = store.batchCancel(new BatchStore.BatchCancelParams(batch.id(), T0.plusSeconds(1)));

        assertThat(cancelled).isEqualTo(3);
        assertThat(store.batchGet(batch.id()).orElseThrow().counts().cancelled()).isEqualTo(3);
        assertThat(store.meetingFinish(new FinishParams(running.id(), NODE_A, running.attempt(), Outcome.completed(analysis("x"), Usage.NONE), T0.plusSeconds(2)))).as("the lease went with the cancel").isFalse();
        Meeting meeting = store.meetingGet(running.id()).orElseThrow().meeting();
        assertThat(meeting.state()).isEqualTo(MeetingState.CANCELLED);
        assertThat(meeting.attempts()).singleElement().satisfies(a -> assertThat(a.finishedAt()).isNotNull());
        assertThat(store.meetingsClaim(new ClaimParams(NODE_A, 5, T0.plusSeconds(3), LEASE))).isEmpty();
    }

    @Test
    void retryingFailedMeetingsQueuesOnlyTheFailedOnesThatCanRun() {
        Batch batch = store.batchCreate(TestBatches.batch("k", "local", T0, List.of(ready("fails"), ready("ok"),
                NewMeeting.unreadable("bad.srt", "bad", Failure.permanent("bad.srt: line 2: no timing")))));
        ClaimedMeeting fails = bySource(store.meetingsClaim(new ClaimParams(NODE_A, 2, T0, LEASE)), "fails.vtt");
        store.meetingFinish(new FinishParams(fails.id(), NODE_A, fails.attempt(), Outcome.failed(Failure.permanent("refused")), T0));

        assertThat(store.meetingsRequeue(RequeueParams.failed(batch.id(), T0.plusSeconds(1)))).isEqualTo(1);
        Meeting again = store.meetingGet(fails.id()).orElseThrow().meeting();
        assertThat(again.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(store.meetingsRequeue(RequeueParams.failed(batch.id(), T0.plusSeconds(2)))).isZero();
    }

    @Test
    void oneMeetingComesWithItsTranscriptAndTheBriefListWithoutAnalyses() {
        Batch batch = store.batchCreate(TestBatches.batch("k", "local", T0, readyMeetings("m", 2)));
        ClaimedMeeting claimed = store.meetingsClaim(new ClaimParams(NODE_A, 1, T0, LEASE)).getFirst();
        store.meetingFinish(new FinishParams(claimed.id(), NODE_A, claimed.attempt(), Outcome.completed(analysis("t"), new Usage(10, 5, 0.25)), T0));

        var detail = store.meetingGet(claimed.id()).orElseThrow();
        assertThat(detail.transcript()).isEqualTo(claimed.transcript());
        assertThat(detail.meeting().analysis()).isEqualTo(analysis("t"));
        assertThat(detail.meeting().attempts()).hasSize(1);
        assertThat(store.meetingGet("mtg_missing")).isEmpty();

        List<Meeting> brief = store.meetingsBrief(batch.id());
        List<Meeting> full = store.meetingsList(batch.id());
        assertThat(brief).extracting(Meeting::id).containsExactlyElementsOf(full.stream().map(Meeting::id).toList());
        assertThat(brief).extracting(Meeting::state).containsExactlyElementsOf(full.stream().map(Meeting::state).toList());
        assertThat(brief).allSatisfy(m -> assertThat(m.analysis()).isNull());
    }

    @Test
    void aBatchViewHoldsTheBatchItsSubmissionBudgetAndBriefMeetings() {
        Batch batch = store.batchCreate(TestBatches.batch(null, "local", T0, readyMeetings("m", 3), Priority.NORMAL,
                        OnDuplicate.SKIP, Tier.ORDINARY, 2.5)
                .withSubmission(new Submission("acme", OnDuplicate.SKIP, "normal", null, 2.5, true),
                        java.util.Collections.nCopies(3, Tier.ORDINARY)));
        ClaimedMeeting claimed = claimOne(NODE_A, T0);
        complete(claimed, NODE_A, claimed.attempt(), new Usage(10, 5, 0.25), T0.plusSeconds(1));

        BatchStore.BatchView view = store.batchView(batch.id()).orElseThrow();

        assertThat(view.batch()).isEqualTo(store.batchGet(batch.id()).orElseThrow());
        assertThat(view.batch().counts().completed()).isEqualTo(1);
        assertThat(view.submission()).isEqualTo(new Submission("acme", OnDuplicate.SKIP, "normal", null, 2.5, true));
        assertThat(view.budget()).isEqualTo(store.batchBudget(batch.id()).orElseThrow());
        assertThat(view.budget().spentUsd()).isEqualTo(0.25);
        assertThat(view.meetings()).isEqualTo(store.meetingsBrief(batch.id()));
        assertThat(view.meetings()).extracting(Meeting::state)
                .containsExactly(MeetingState.COMPLETED, MeetingState.QUEUED, MeetingState.QUEUED);
        assertThat(store.batchView("bat_missing")).isEmpty();
    }

    @Test
    void aCliBatchsViewHasNoSubmissionAndNoBudget() {
        Batch batch = createBatch("run-1", T0, readyMeetings("m", 2));

        BatchStore.BatchView view = store.batchView(batch.id()).orElseThrow();

        assertThat(view.submission()).isNull();
        assertThat(view.budget()).isNull();
        assertThat(view.meetings()).extracting(Meeting::id)
                .containsExactlyElementsOf(store.meetingsList(batch.id()).stream().map(Meeting::id).toList());
    }

    /** The view is read in one snapshot: its counts always agree with its meetings' states, whatever is written meanwhile. */
    @Test
    void aBatchViewsCountsAgreeWithItsMeetingsWhileMeetingsFinish() throws Exception {
        int meetings = 30;
        Batch batch = createBatch("run-1", T0, readyMeetings("m", meetings));
        List<ClaimedMeeting> claimed = claim(NODE_A, meetings, T0);
        try (ExecutorService writer = Executors.newSingleThreadExecutor()) {
            Future<?> finishing = writer.submit(() -> {
                for (ClaimedMeeting m : claimed) complete(m, NODE_A, m.attempt(), Usage.NONE, T0.plusSeconds(1));
            });
            int views = 0;
            while (!finishing.isDone() || views == 0) {
                BatchStore.BatchView view = store.batchView(batch.id()).orElseThrow();
                long completed = view.meetings().stream().filter(m -> m.state() == MeetingState.COMPLETED).count();
                long running = view.meetings().stream().filter(m -> m.state() == MeetingState.RUNNING).count();
                assertThat(view.batch().counts().completed()).as("completed in view %d", views).isEqualTo(completed);
                assertThat(view.batch().counts().running()).as("running in view %d", views).isEqualTo(running);
                views++;
            }
            finishing.get();
        }
        assertThat(store.batchView(batch.id()).orElseThrow().batch().counts().completed()).isEqualTo(meetings);
    }

    @Test
    void totalsCountEveryBatchesMeetingsAndUsage() {
        store.batchCreate(TestBatches.batch("a", "local", T0, readyMeetings("a", 2)));
        store.batchCreate(TestBatches.batch("b", "local", T0.plusSeconds(1), List.of(ready("b.vtt"),
                NewMeeting.skipped("s.vtt", "s", "too short"))));
        ClaimedMeeting claimed = store.meetingsClaim(new ClaimParams(NODE_A, 1, T0.plusSeconds(2), LEASE)).getFirst();
        store.meetingFinish(new FinishParams(claimed.id(), NODE_A, claimed.attempt(), Outcome.completed(analysis("t"), new Usage(100, 50, 0.5)), T0));

        StoreStatus.Totals totals = store.countsAll();
        assertThat(totals.counts()).isEqualTo(new BatchCounts(2, 0, 1, 0, 1, 0));
        assertThat(totals.usage().inputTokens()).isEqualTo(100);
        assertThat(totals.usage().costUsd()).isEqualTo(0.5);
    }

    @Test
    void apiKeysAreFoundByTheirHashOnly() {
        assertThat(store.apiKeysCount()).isZero();
        store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", "hash-1", T0));
        store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", "hash-2", T0));

        assertThat(store.apiKeysCount()).isEqualTo(2);
        assertThat(store.apiKeyTenant("hash-2")).contains("globex");
        assertThat(store.apiKeyTenant("hash-3")).isEmpty();
    }

    @Test
    void aBatchIsCalledByItsFirstMeetingsTitleOrFile() {
        Batch titled = createBatch(null, T0, List.of(ready("Weekly sync"), ready("Retro")));
        Batch untitled = createBatch(null, T0, List.of(NewMeeting.skipped("empty.txt", null, "too short")));

        assertThat(store.batchFirstTitle(titled.id())).contains("Weekly sync");
        assertThat(store.batchFirstTitle(untitled.id())).contains("empty.txt");
        assertThat(store.batchFirstTitle("batch_nope")).isEmpty();
    }

    @Test
    void apiKeysAreListedOldestFirstAndARevokedKeyIsNoLongerFound() {
        store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", "hash-1", T0));
        store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", "hash-2", T0.plusSeconds(60)));

        assertThat(store.apiKeysList()).containsExactly(new ApiKeyStore.ApiKey("hash-1", "acme", T0),
                new ApiKeyStore.ApiKey("hash-2", "globex", T0.plusSeconds(60)));
        assertThat(store.apiKeyRevoke(new ApiKeyStore.ApiKeyRevokeParams("hash-1"))).isTrue();
        assertThat(store.apiKeyRevoke(new ApiKeyStore.ApiKeyRevokeParams("hash-1"))).as("already gone").isFalse();

        assertThat(store.apiKeyTenant("hash-1")).isEmpty();
        assertThat(store.apiKeyTenant("hash-2")).contains("globex");
        assertThat(store.apiKeysList()).extracting(ApiKeyStore.ApiKey::tenant).containsExactly("globex");
        assertThat(store.apiKeysCount()).isEqualTo(1);
    }

    // ---- work announced --------------------------------------------------------------------------

    @Test
    void everyWriteThatQueuesMeetingsAnnouncesItOnceCommittedAndNoOtherWriteDoes() {
        // what a woken dispatcher would see: read when the announcement arrives (on PostgreSQL from
        // another connection, so an announcement made before the commit would find nothing due)
        List<String> announced = new java.util.concurrent.CopyOnWriteArrayList<>();
        events.subscribe(new StoreEvents.Listener() {
            @Override
            public void workAdded() {
                announced.add(store.nextDueAt().isPresent() ? "due" : "nothing due");
            }
        });

        Batch batch = createBatch("announced", T0, readyMeetings("a", 2));
        assertThat(announced).as("a batch with queued meetings").containsExactly("due");
        store.batchCreate(TestBatches.batch("nothing-to-do", "sim", T0,
                List.of(NewMeeting.skipped("short.vtt", "short", "too short"))));
        assertThat(announced).as("a batch with nothing queued").hasSize(1);

        List<ClaimedMeeting> claimed = claim(NODE_A, 2, T0);
        assertThat(announced).as("a claim").hasSize(1);
        store.meetingFinish(new FinishParams(claimed.get(0).id(), NODE_A, claimed.get(0).attempt(),
                Outcome.retryAt(T0.plusSeconds(60), Failure.transientFailure("503")), T0));
        assertThat(announced).as("a retry, due later").containsExactly("due", "due");
        store.meetingFinish(new FinishParams(claimed.get(1).id(), NODE_A, claimed.get(1).attempt(),
                Outcome.failed(Failure.permanent("bad request")), T0));
        assertThat(announced).as("a failure").hasSize(2);
        assertThat(store.meetingsRequeue(RequeueParams.failedAndCancelled(batch.id(), T0))).isEqualTo(1);
        assertThat(announced).as("a batch run again").containsExactly("due", "due", "due");

        List<ClaimedMeeting> again = claim(NODE_A, 2, T0.plusSeconds(60));
        assertThat(again).hasSize(2);
        store.meetingRelease(new ReleaseParams(again.get(0).id(), NODE_A, T0.plusSeconds(61)));
        assertThat(announced).as("a lease given back").hasSize(4);
        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plusSeconds(61).plus(LEASE).plusSeconds(1), null, 5))).isEqualTo(1);
        assertThat(announced).as("a lease reaped").containsExactly("due", "due", "due", "due", "due");

        List<ClaimedMeeting> last = claim(NODE_B, 2, T0.plus(Duration.ofMinutes(5)));
        for (ClaimedMeeting meeting : last) {
            store.meetingFinish(new FinishParams(meeting.id(), NODE_B, meeting.attempt(), Outcome.completed(analysis("done"), Usage.NONE),
                    T0.plus(Duration.ofMinutes(5))));
        }
        assertThat(store.meetingsRequeue(RequeueParams.failed(batch.id(), T0.plus(Duration.ofMinutes(6))))).isZero();
        assertThat(announced).as("completions, and a retry of a batch with nothing failed").hasSize(5);
    }
}

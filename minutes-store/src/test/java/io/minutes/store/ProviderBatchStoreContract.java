package io.minutes.store;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.BatchStore.BatchCancelParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.BatchStore.PurgeParams;
import io.minutes.core.port.MeetingQueue.BudgetReserveParams;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.ProviderBatchStore.LaneDueParams;
import io.minutes.core.port.ProviderBatchStore.LaneSetParams;
import io.minutes.core.port.ProviderBatchStore.LineFinishParams;
import io.minutes.core.port.ProviderBatchStore.PackLine;
import io.minutes.core.port.ProviderBatchStore.PackParams;
import io.minutes.core.port.ProviderBatchStore.Packed;
import io.minutes.core.port.ProviderBatchStore.ProviderBatch;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchLeaseParams;
import io.minutes.core.port.ProviderBatchStore;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchRecordParams;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchReleaseParams;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchState;
import io.minutes.core.port.ProviderBatches;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The batch lane's store: meetings planned for a provider batch are packed, never claimed; packing
 * reserves their tokens in the enqueued-token ledger of the provider and model, never past its limit even
 * with two nodes packing at once; a line finishes its meeting once; lines not run go back to the queue;
 * the provider batch is driven by whoever holds its lease.
 */
public abstract class ProviderBatchStoreContract {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String PROVIDER = "openai";
    private static final String MODEL = "gpt-4o-mini";

    protected MeetingStore store;

    protected final AllowedMovesWatch moves = new AllowedMovesWatch();

    protected abstract MeetingStore newStore();

    /** A second store on the database {@link #newStore} opened, as another node (or process) sees it. */
    protected abstract MeetingStore otherNode();

    @BeforeEach
    void openStore() {
        store = moves.watch(newStore());
    }

    @AfterEach
    void closeStore() {
        store.close();
        moves.assertOnlyAllowedMoves();
    }

    private Batch batch(Lane lane, int meetings) {
        List<NewMeeting> list = IntStream.range(0, meetings).mapToObj(i -> NewMeeting.ready("m" + i + ".txt", "m" + i,
                "h" + lane + i, new Transcript("txt", List.of(Segment.of("Ann", "point " + i))))).toList();
        return store.batchCreate(TestBatches.batch(null, PROVIDER, T0, list).withLane(lane));
    }

    /** A batch of the batch lane held to a budget of {@code budgetUsd}. */
    private Batch budgeted(int meetings, double budgetUsd) {
        List<NewMeeting> list = IntStream.range(0, meetings).mapToObj(i -> NewMeeting.ready("b" + i + ".txt", "b" + i,
                "hb" + i, new Transcript("txt", List.of(Segment.of("Ann", "budgeted point " + i))))).toList();
        return store.batchCreate(TestBatches.batch(null, PROVIDER, T0, list, Priority.NORMAL, OnDuplicate.ALLOW_DUPLICATES,
                Tier.ORDINARY, budgetUsd).withLane(Lane.BATCH));
    }

    /** Each line priced {@code usdEach} at the batch price: what it reserves of its batch's budget. */
    private List<PackLine> priced(List<ClaimedMeeting> meetings, long tokensEach, double usdEach) {
        return meetings.stream().map(m -> new PackLine(m.id(), tokensEach, usdEach)).toList();
    }

    private Budget budgetOf(Batch batch) {
        return store.batchBudget(batch.id()).orElseThrow();
    }

    private List<PackLine> lines(List<ClaimedMeeting> meetings, long tokensEach) {
        return meetings.stream().map(m -> new PackLine(m.id(), tokensEach)).toList();
    }

    private Optional<Packed> pack(MeetingStore on, String id, List<PackLine> lines, long limit, String owner) {
        return on.providerBatchPack(new PackParams(id, PROVIDER, MODEL, lines, limit, owner, T0, LEASE));
    }

    private static Analysis minutes(String title) {
        return new Analysis(title, "We agreed on things.", List.of(), List.of(), List.of(), List.of(), List.of());
    }

    private Meeting meeting(String batchId, String meetingId) {
        return store.meetingsList(batchId).stream().filter(m -> m.id().equals(meetingId)).findFirst().orElseThrow();
    }

    @Test
    void theDurationsOfProviderBatchesThatRanTheirCourseAreReadNewestFirst() {
        batch(Lane.BATCH, 4);
        String[] statuses = {"completed", "cancelled", "expired", "failed"};
        for (int i = 0; i < statuses.length; i++) {
            List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 1));
            String id = "pb_" + i;
            pack(store, id, lines(due, 10), 0, "n1").orElseThrow();
            assertThat(store.providerBatchRecord(new ProviderBatchRecordParams(id, "n1", ProviderBatchState.CREATED, null,
                    "remote_" + i, null, "in_progress", T0, null, null, T0, LEASE))).isTrue();
            assertThat(store.providerBatchRecord(new ProviderBatchRecordParams(id, "n1", ProviderBatchState.ENDED, null, null,
                    null, statuses[i], null, T0.plus(Duration.ofMinutes(10L * (i + 1))), null, T0, LEASE))).isTrue();
        }

        assertThat(store.providerBatchDurations(new ProviderBatchStore.ProviderBatchDurationsParams(PROVIDER, MODEL, 10)))
                .as("expired (30 min) then completed (10 min); the cancelled and the refused ones ended early")
                .containsExactly(Duration.ofMinutes(30), Duration.ofMinutes(10));
        assertThat(store.providerBatchDurations(new ProviderBatchStore.ProviderBatchDurationsParams(PROVIDER, MODEL, 1)))
                .containsExactly(Duration.ofMinutes(30));
        assertThat(store.providerBatchDurations(new ProviderBatchStore.ProviderBatchDurationsParams(PROVIDER, "another", 10)))
                .isEmpty();
    }

    @Test
    void meetingsPlannedForAProviderBatchAreNeverClaimedButOfferedToTheLane() {
        Batch lane = batch(Lane.BATCH, 3);
        Batch realtime = batch(Lane.REALTIME, 1);

        List<ClaimedMeeting> claimed = store.meetingsClaim(new ClaimParams("w1", 10, T0, LEASE));
        assertThat(claimed).extracting(ClaimedMeeting::batchId).containsExactly(realtime.id());
        assertThat(store.nextDueAt()).as("the dispatcher is not woken for meetings it will not claim").isEmpty();

        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 10));
        assertThat(due).extracting(ClaimedMeeting::batchId).containsOnly(lane.id());
        assertThat(due).extracting(ClaimedMeeting::index).containsExactly(0, 1, 2);
        assertThat(due).allSatisfy(m -> assertThat(m.transcript()).isNotNull());
        assertThat(store.meetingsList(lane.id())).extracting(Meeting::lane).containsOnly(Lane.BATCH);
    }

    @Test
    void packingMovesMeetingsToWaitingAndReservesTheirTokensInTheLedger() {
        Batch lane = batch(Lane.BATCH, 3);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 10));

        Packed packed = pack(store, "pb_1", lines(due, 100), 0, "n1").orElseThrow();

        assertThat(packed.meetingIds()).hasSize(3);
        ProviderBatch pb = packed.batch();
        assertThat(pb.state()).isEqualTo(ProviderBatchState.INTENDED);
        assertThat(pb.enqueuedTokens()).isEqualTo(300);
        assertThat(pb.lines()).isEqualTo(3);
        assertThat(pb.leaseOwner()).isEqualTo("n1");
        assertThat(store.providerBatchLedger(PROVIDER, MODEL)).isEqualTo(300);
        assertThat(store.providerBatchLedger(PROVIDER, "another-model")).isZero();
        Batch stored = store.batchGet(lane.id()).orElseThrow();
        assertThat(stored.counts().waiting()).isEqualTo(3);
        assertThat(stored.counts().queued()).isZero();
        assertThat(stored.counts().isFinished()).as("a batch with meetings in a provider batch is not finished").isFalse();
        assertThat(store.meetingsList(lane.id())).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MeetingState.WAITING);
            assertThat(m.attempts()).hasSize(1);
            assertThat(m.attempts().getFirst().finishedAt()).isNull();
        });
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0, 10))).isEmpty();
        assertThat(store.providerBatchMeetings("pb_1")).extracting(ClaimedMeeting::id)
                .containsExactlyElementsOf(packed.meetingIds().stream().sorted().toList());
        assertThat(store.providerBatchMeetings("pb_1")).allSatisfy(m -> assertThat(m.attempt()).isEqualTo(1));
    }

    @Test
    void aPackNeverReservesPastTheEnqueuedTokenLimitAndAnEndedBatchGivesItsTokensBack() {
        batch(Lane.BATCH, 5);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 10));

        Packed first = pack(store, "pb_1", lines(due, 100), 250, "n1").orElseThrow();
        assertThat(first.meetingIds()).hasSize(2);
        assertThat(pack(store, "pb_2", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 250, "n1"))
                .as("the ledger holds 200 of 250: no line of 100 fits").isEmpty();
        assertThat(store.providerBatchGet("pb_2")).isEmpty();

        assertThat(store.providerBatchRecord(ProviderBatchRecordParams.state("pb_1", "n1", ProviderBatchState.ENDED, T0, LEASE)))
                .isTrue();
        assertThat(store.providerBatchLedger(PROVIDER, MODEL)).isZero();
        Packed second = pack(store, "pb_2", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 250, "n1")
                .orElseThrow();
        assertThat(second.meetingIds()).hasSize(2);
    }

    @Test
    void twoNodesPackingAtOnceNeverReserveMoreThanTheLimitTogether() throws Exception {
        batch(Lane.BATCH, 40);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 100));
        MeetingStore other = moves.watch(otherNode());
        long limit = 1_000; // 10 lines of 100
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Packed>>> packs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                MeetingStore node = i % 2 == 0 ? store : other;
                List<PackLine> slice = lines(due.subList(i * 5, i * 5 + 5), 100);
                String id = "pb_" + i;
                Callable<Optional<Packed>> packing = () -> {
                    go.await();
                    return pack(node, id, slice, limit, "n" + id);
                };
                packs.add(pool.submit(packing));
            }
            go.countDown();
            int packedLines = 0;
            for (Future<Optional<Packed>> f : packs) packedLines += f.get().map(p -> p.meetingIds().size()).orElse(0);
            assertThat(packedLines).isEqualTo(10);
        } finally {
            other.close();
        }
        assertThat(store.providerBatchLedger(PROVIDER, MODEL)).isEqualTo(1_000);
    }

    @Test
    void aLineReadTwiceFinishesItsMeetingOnce() {
        Batch lane = batch(Lane.BATCH, 2);
        Packed packed = pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "n1")
                .orElseThrow();
        String id = packed.meetingIds().getFirst();
        Analysis analysis = minutes("m0");
        Outcome done = Outcome.completed(analysis, new Usage(1_000, 200, 0.0005));

        assertThat(store.meetingLineFinish(new LineFinishParams(id, "pb_1", done, 0.001, T0.plusSeconds(5)))).isTrue();
        assertThat(store.meetingLineFinish(new LineFinishParams(id, "pb_1", done, 0.001, T0.plusSeconds(9)))).isFalse();
        assertThat(store.meetingLineFinish(new LineFinishParams(packed.meetingIds().get(1), "pb_other", done, 0.001, T0)))
                .as("a line of another provider batch").isFalse();

        Meeting m = meeting(lane.id(), id);
        assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
        assertThat(m.ranLane()).isEqualTo(Lane.BATCH);
        assertThat(m.usage().costUsd()).isCloseTo(0.0005, within(1e-9));
        assertThat(m.listCostUsd()).isCloseTo(0.001, within(1e-9));
        assertThat(m.completedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(m.attempts()).singleElement().satisfies(a -> assertThat(a.finishedAt()).isEqualTo(T0.plusSeconds(5)));
        Batch stored = store.batchGet(lane.id()).orElseThrow();
        assertThat(stored.counts().completed()).isEqualTo(1);
        assertThat(stored.counts().waiting()).isEqualTo(1);
        assertThat(stored.usage().costUsd()).isCloseTo(0.0005, within(1e-9));
    }

    @Test
    void anErroredLineIsRetriedInItsLaneOrFailsAsTheRetryPolicyDecided() {
        Batch lane = batch(Lane.BATCH, 2);
        Packed packed = pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "n1")
                .orElseThrow();
        String retried = packed.meetingIds().get(0);
        String failed = packed.meetingIds().get(1);

        assertThat(store.meetingLineFinish(new LineFinishParams(retried, "pb_1",
                Outcome.retryAt(T0.plusSeconds(60), Failure.of(Failure.Cause.SERVER_ERROR, "500 from the provider")), null, T0)))
                .isTrue();
        assertThat(store.meetingLineFinish(new LineFinishParams(failed, "pb_1",
                Outcome.failed(Failure.of(Failure.Cause.REFUSED_REQUEST, "400: bad request")), null, T0))).isTrue();

        Meeting r = meeting(lane.id(), retried);
        assertThat(r.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(r.lane()).isEqualTo(Lane.BATCH);
        assertThat(r.notBefore()).isEqualTo(T0.plusSeconds(60));
        assertThat(r.lastFailure().message()).contains("500");
        assertThat(r.attempts()).singleElement().satisfies(a -> assertThat(a.failure().message()).contains("500"));
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0, 10))).isEmpty();
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0.plusSeconds(60), 10))).extracting(ClaimedMeeting::id)
                .containsExactly(retried);
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0.plusSeconds(60), 10)).getFirst().attempt()).isEqualTo(2);
        assertThat(meeting(lane.id(), failed).state()).isEqualTo(MeetingState.FAILED);
    }

    @Test
    void linesNotRunGoBackToTheQueueWithoutUsingAnAttempt() {
        Batch lane = batch(Lane.BATCH, 3);
        Packed packed = pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "n1")
                .orElseThrow();
        store.meetingLineFinish(new LineFinishParams(packed.meetingIds().getFirst(), "pb_1",
                Outcome.completed(minutes("m0"), new Usage(10, 10, 0.0)), 0.0, T0));

        assertThat(store.providerBatchRelease(new ProviderBatchReleaseParams("pb_1", T0.plusSeconds(1)))).isEqualTo(2);

        assertThat(store.providerBatchMeetings("pb_1")).isEmpty();
        List<Meeting> meetings = store.meetingsList(lane.id());
        assertThat(meetings).filteredOn(m -> m.state() == MeetingState.QUEUED).hasSize(2).allSatisfy(m -> {
            assertThat(m.attemptCount()).isZero();
            assertThat(m.attempts()).isEmpty();
            assertThat(m.notBefore()).isEqualTo(T0.plusSeconds(1));
        });
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0.plusSeconds(1), 10))).hasSize(2)
                .allSatisfy(m -> assertThat(m.attempt()).isEqualTo(1));
        assertThat(store.batchGet(lane.id()).orElseThrow().counts().waiting()).isZero();
    }

    @Test
    void onlyTheLeaseHolderRecordsAndAnotherNodeTakesOverAnExpiredLease() {
        batch(Lane.BATCH, 2);
        pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "n1").orElseThrow();

        assertThat(store.providerBatchRecord(new ProviderBatchRecordParams("pb_1", "n1", ProviderBatchState.STAGED,
                "file-abc", null, null, null, null, null, null, T0.plusSeconds(1), LEASE))).isTrue();
        assertThat(store.providerBatchRecord(ProviderBatchRecordParams.state("pb_1", "n2", ProviderBatchState.CANCELLED,
                T0.plusSeconds(1), LEASE))).as("not n2's").isFalse();
        assertThat(store.providerBatchesLease(new ProviderBatchLeaseParams("n2", PROVIDER, MODEL, T0.plusSeconds(10),
                LEASE, 10))).as("n1's lease runs until T0+31s").isEmpty();

        List<ProviderBatch> taken = store.providerBatchesLease(new ProviderBatchLeaseParams("n2", PROVIDER, MODEL,
                T0.plusSeconds(40), LEASE, 10));
        assertThat(taken).singleElement().satisfies(pb -> {
            assertThat(pb.id()).isEqualTo("pb_1");
            assertThat(pb.state()).isEqualTo(ProviderBatchState.STAGED);
            assertThat(pb.stagedRef()).isEqualTo("file-abc");
            assertThat(pb.leaseOwner()).isEqualTo("n2");
        });
        assertThat(store.providerBatchRecord(ProviderBatchRecordParams.state("pb_1", "n1", ProviderBatchState.CREATED,
                T0.plusSeconds(41), LEASE))).as("n1 lost it").isFalse();
        ProviderBatches.Counts counts = new ProviderBatches.Counts(2, 1, 0, 0);
        assertThat(store.providerBatchRecord(new ProviderBatchRecordParams("pb_1", "n2", ProviderBatchState.CREATED,
                null, "batch_remote_1", counts, "in_progress", T0.plusSeconds(41), null, null, T0.plusSeconds(42), LEASE)))
                .isTrue();
        ProviderBatch stored = store.providerBatchGet("pb_1").orElseThrow();
        assertThat(stored.stagedRef()).as("kept when not given").isEqualTo("file-abc");
        assertThat(stored.remoteId()).isEqualTo("batch_remote_1");
        assertThat(stored.counts()).isEqualTo(counts);
        assertThat(stored.remoteStatus()).isEqualTo("in_progress");
        assertThat(stored.createdAt()).isEqualTo(T0.plusSeconds(41));

        store.providerBatchRecord(ProviderBatchRecordParams.state("pb_1", "n2", ProviderBatchState.COLLECTED,
                T0.plusSeconds(50), LEASE));
        assertThat(store.providerBatchesLease(new ProviderBatchLeaseParams("n3", PROVIDER, MODEL, T0.plusSeconds(500),
                LEASE, 10))).as("nothing left to drive").isEmpty();
    }

    @Test
    void theProviderBatchesOfAKnownDeadOwnerAreTakenBeforeTheirLeaseExpires() {
        batch(Lane.BATCH, 2);
        pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "dead").orElseThrow();
        assertThat(store.providerBatchOwners(PROVIDER, MODEL)).containsExactly("dead");
        assertThat(store.providerBatchesLease(new ProviderBatchLeaseParams("n2", PROVIDER, MODEL, T0.plusSeconds(1), LEASE, 10)))
                .isEmpty();

        assertThat(store.providerBatchesLease(new ProviderBatchLeaseParams("n2", PROVIDER, MODEL, T0.plusSeconds(1), LEASE, 10,
                "dead"))).extracting(ProviderBatch::id).containsExactly("pb_1");
        assertThat(store.providerBatchOwners(PROVIDER, MODEL)).containsExactly("n2");
    }

    @Test
    void retentionNeverPurgesABatchWhoseMeetingsWaitInAProviderBatch() {
        Batch lane = batch(Lane.BATCH, 2);
        pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "n1").orElseThrow();

        assertThat(store.batchesPurge(new PurgeParams(T0.plus(Duration.ofDays(30)))).batches())
                .as("a provider batch may take 24 h and more").isZero();
        assertThat(store.batchGet(lane.id())).isPresent();
    }

    @Test
    void cancellingTheBatchCancelsItsWaitingMeetingsAndTheirLinesAreThenDropped() {
        Batch lane = batch(Lane.BATCH, 2);
        Packed packed = pack(store, "pb_1", lines(store.meetingsLaneDue(new LaneDueParams(T0, 10)), 100), 0, "n1")
                .orElseThrow();

        assertThat(store.batchCancel(new BatchCancelParams(lane.id(), T0))).isEqualTo(2);

        assertThat(store.meetingLineFinish(new LineFinishParams(packed.meetingIds().getFirst(), "pb_1",
                Outcome.completed(minutes("m0"), Usage.NONE), 0.0, T0))).isFalse();
        assertThat(store.providerBatchRelease(new ProviderBatchReleaseParams("pb_1", T0))).isZero();
        assertThat(store.meetingsList(lane.id())).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MeetingState.CANCELLED);
            assertThat(m.attempts()).singleElement().satisfies(a -> assertThat(a.finishedAt()).isNotNull());
        });
        assertThat(store.batchGet(lane.id()).orElseThrow().counts().isFinished()).isTrue();
    }

    @Test
    void aMeetingTheLaneCannotSendIsPlannedForRealtimeAndClaimed() {
        Batch lane = batch(Lane.BATCH, 2);
        ClaimedMeeting first = store.meetingsLaneDue(new LaneDueParams(T0, 10)).getFirst();

        assertThat(store.meetingsLaneSet(new LaneSetParams(Set.of(first.id()), Lane.REALTIME, T0))).isEqualTo(1);

        assertThat(store.meetingsClaim(new ClaimParams("w1", 10, T0, LEASE))).extracting(ClaimedMeeting::id)
                .containsExactly(first.id());
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0, 10))).hasSize(1);
        assertThat(store.meetingsLaneSet(new LaneSetParams(Set.of(first.id()), Lane.BATCH, T0)))
                .as("a running meeting is not planned again").isZero();
        assertThat(meeting(lane.id(), first.id()).lane()).isEqualTo(Lane.REALTIME);
    }

    // ---- budgets at the lane's price ---------------------------------------------------------------

    @Test
    void aBudgetedLineReservesItsBatchPriceUntilItsLineIsReadOrGivenBack() {
        Batch batch = budgeted(3, 1.00);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 10));
        assertThat(due).allSatisfy(m -> assertThat(m.budgeted()).isTrue());

        Packed packed = pack(store, "pb_1", priced(due, 100, 0.30), 0, "n1").orElseThrow();
        assertThat(packed.meetingIds()).hasSize(3);
        assertThat(packed.refused()).isEmpty();
        assertThat(budgetOf(batch).reservedUsd()).as("three lines at the batch price").isCloseTo(0.90, within(1e-9));
        assertThat(budgetOf(batch).spentUsd()).isZero();

        // a line read: what it reserved becomes what it cost at the batch price
        store.meetingLineFinish(new LineFinishParams(packed.meetingIds().getFirst(), "pb_1",
                Outcome.completed(minutes("b0"), new Usage(1_000, 200, 0.12)), 0.24, T0.plusSeconds(5)));
        assertThat(budgetOf(batch).spentUsd()).isCloseTo(0.12, within(1e-9));
        assertThat(budgetOf(batch).reservedUsd()).isCloseTo(0.60, within(1e-9));

        // the lines not run go back to the queue holding nothing: they reserve again in the lane they are sent in next
        store.providerBatchRelease(new ProviderBatchReleaseParams("pb_1", T0.plusSeconds(6)));
        assertThat(budgetOf(batch).reservedUsd()).isZero();
        assertThat(budgetOf(batch).spentUsd()).isCloseTo(0.12, within(1e-9));
        List<ClaimedMeeting> again = store.meetingsLaneDue(new LaneDueParams(T0.plusSeconds(6), 10));
        assertThat(again).hasSize(2);
        assertThat(store.meetingsLaneSet(new LaneSetParams(Set.of(again.getFirst().id()), Lane.REALTIME, T0))).isEqualTo(1);
        ClaimedMeeting realtime = store.meetingsClaim(new ClaimParams("w1", 10, T0.plusSeconds(7), LEASE)).getFirst();
        assertThat(store.meetingBudgetReserve(new BudgetReserveParams(realtime.id(), realtime.attempt(), 0.60)).granted())
                .as("re-priced in realtime: 0.12 spent + 0.60 at the list price fits the 1.00").isTrue();
        assertThat(store.meetingBudgetReserve(new BudgetReserveParams(realtime.id(), realtime.attempt(), 0.90)).granted())
                .as("0.12 spent + 0.90 does not").isFalse();
        assertThat(budgetOf(batch).reservedUsd()).isCloseTo(0.60, within(1e-9));
    }

    @Test
    void aLineWhosePriceTheBudgetCannotTakeIsSkippedBeforeAnyCall() {
        Batch batch = budgeted(3, 0.70);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 10));

        Packed packed = pack(store, "pb_1", priced(due, 100, 0.30), 0, "n1").orElseThrow();

        String third = due.get(2).id();
        assertThat(packed.meetingIds()).containsExactly(due.get(0).id(), due.get(1).id());
        assertThat(packed.refused()).containsOnlyKeys(third);
        assertThat(packed.refused().get(third)).startsWith(Budget.EXHAUSTED).contains("$0.3000").contains("batch price");
        assertThat(packed.batch().lines()).isEqualTo(2);
        assertThat(packed.batch().enqueuedTokens()).as("the refused line reserves no tokens either").isEqualTo(200);
        Meeting skipped = meeting(batch.id(), third);
        assertThat(skipped.state()).isEqualTo(MeetingState.SKIPPED);
        assertThat(skipped.skipReason()).isEqualTo(packed.refused().get(third));
        assertThat(skipped.attemptCount()).as("refused before any call: no attempt").isZero();
        Budget budget = budgetOf(batch);
        assertThat(budget.exhaustedMeetings()).isEqualTo(1);
        assertThat(budget.reservedUsd()).isCloseTo(0.60, within(1e-9));
        assertThat(store.meetingsLaneDue(new LaneDueParams(T0, 10))).isEmpty();
    }

    @Test
    void aBudgetThatRefusesEveryLineStoresNoProviderBatch() {
        Batch batch = budgeted(2, 0.10);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 10));

        Packed packed = pack(store, "pb_1", priced(due, 100, 0.30), 0, "n1").orElseThrow();

        assertThat(packed.batch()).isNull();
        assertThat(packed.meetingIds()).isEmpty();
        assertThat(packed.refused()).hasSize(2);
        assertThat(store.providerBatchGet("pb_1")).isEmpty();
        assertThat(store.providerBatchLedger(PROVIDER, MODEL)).isZero();
        assertThat(store.batchGet(batch.id()).orElseThrow().counts().skipped()).isEqualTo(2);
        assertThat(store.batchGet(batch.id()).orElseThrow().counts().isFinished()).isTrue();
    }

    @Test
    void packsOnTwoNodesAndRealtimeReservationsAtOnceNeverPassTheBudgetTogether() throws Exception {
        Batch batch = budgeted(40, 1.00);
        List<ClaimedMeeting> due = store.meetingsLaneDue(new LaneDueParams(T0, 100));
        // ten of them go realtime (as a cut-over moves them) and are claimed, to reserve at the list price meanwhile
        Set<String> toRealtime = new java.util.HashSet<>();
        for (ClaimedMeeting m : due.subList(30, 40)) toRealtime.add(m.id());
        store.meetingsLaneSet(new LaneSetParams(toRealtime, Lane.REALTIME, T0));
        List<ClaimedMeeting> claimed = store.meetingsClaim(new ClaimParams("w1", 10, T0, LEASE));
        assertThat(claimed).hasSize(10);
        MeetingStore other = moves.watch(otherNode());
        int taken = 0;
        int refused = 0;
        int granted = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Packed>>> packs = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                MeetingStore node = i % 2 == 0 ? store : other;
                List<PackLine> slice = priced(due.subList(i * 5, i * 5 + 5), 100, 0.10);
                String id = "pb_" + i;
                String model = i % 3 == 0 ? MODEL : MODEL + "-other"; // two ledgers: packs of both run at once
                packs.add(pool.submit(() -> {
                    go.await();
                    return node.providerBatchPack(new PackParams(id, PROVIDER, model, slice, 0, "n" + id, T0, LEASE));
                }));
            }
            List<Future<Boolean>> reservations = new ArrayList<>();
            for (int i = 0; i < claimed.size(); i++) {
                MeetingStore node = i % 2 == 0 ? store : other;
                ClaimedMeeting m = claimed.get(i);
                reservations.add(pool.submit(() -> {
                    go.await();
                    return node.meetingBudgetReserve(new BudgetReserveParams(m.id(), m.attempt(), 0.10)).granted();
                }));
            }
            go.countDown();
            for (Future<Optional<Packed>> f : packs) {
                Optional<Packed> p = f.get();
                taken += p.map(x -> x.meetingIds().size()).orElse(0);
                refused += p.map(x -> x.refused().size()).orElse(0);
            }
            for (Future<Boolean> f : reservations) granted += f.get() ? 1 : 0;
        } finally {
            other.close();
        }
        assertThat(taken + refused).as("every line offered was taken or refused").isEqualTo(30);
        assertThat(taken + granted).as("a budget of $1.00 holds ten calls of $0.10, in whichever lane").isEqualTo(10);
        assertThat(budgetOf(batch).reservedUsd()).isCloseTo(1.00, within(1e-9));
        assertThat(budgetOf(batch).exhaustedMeetings()).isEqualTo(refused);
    }

    @Test
    void meetingsPlannedForFlexAreClaimedInTheirLaneAndCompleteInTheLaneThatAnswered() {
        Batch flex = batch(Lane.FLEX, 3);
        Batch realtime = batch(Lane.REALTIME, 1);

        List<ClaimedMeeting> claimed = store.meetingsClaim(new ClaimParams("w1", 10, T0, LEASE));
        assertThat(claimed).hasSize(4);
        assertThat(claimed).filteredOn(m -> m.batchId().equals(realtime.id())).extracting(ClaimedMeeting::lane)
                .containsExactly(Lane.REALTIME);
        List<ClaimedMeeting> inFlex = claimed.stream().filter(m -> m.batchId().equals(flex.id()))
                .sorted(java.util.Comparator.comparingInt(ClaimedMeeting::index)).toList();
        assertThat(inFlex).extracting(ClaimedMeeting::lane).containsOnly(Lane.FLEX);
        ClaimedMeeting answered = inFlex.get(0);
        ClaimedMeeting refused = inFlex.get(1);
        ClaimedMeeting fellBack = inFlex.get(2);
        Instant later = T0.plus(Duration.ofMinutes(1));

        assertThat(finish(answered, Outcome.completed(minutes("a"), new Usage(1000, 100, 0.5), Lane.FLEX, 1.0))).isTrue();
        assertThat(finish(refused, Outcome.retryAt(later, Failure.of(Failure.Cause.FLEX_UNAVAILABLE, "no flex capacity"))))
                .isTrue();
        assertThat(finish(fellBack, Outcome.completed(minutes("c"), new Usage(1000, 100, 1.0), Lane.REALTIME, null))).isTrue();

        Meeting a = meeting(flex.id(), answered.id());
        assertThat(a.ranLane()).isEqualTo(Lane.FLEX);
        assertThat(a.usage().costUsd()).isEqualTo(0.5);
        assertThat(a.listCostUsd()).isEqualTo(1.0);
        Meeting c = meeting(flex.id(), fellBack.id());
        assertThat(c.lane()).as("sent realtime: realtime from now on").isEqualTo(Lane.REALTIME);
        assertThat(c.ranLane()).isEqualTo(Lane.REALTIME);
        assertThat(c.listCostUsd()).isNull();
        assertThat(io.minutes.core.domain.Receipt.of(store.meetingsList(flex.id())))
                .isEqualTo(new io.minutes.core.domain.Receipt(2.0, 1.5));

        Meeting b = meeting(flex.id(), refused.id());
        assertThat(b.state()).isEqualTo(MeetingState.QUEUED);
        assertThat(b.lane()).isEqualTo(Lane.FLEX);
        assertThat(store.nextDueAt()).as("the dispatcher wakes for the flex meeting it will claim").contains(later);
        ClaimedMeeting again = store.meetingsClaim(new ClaimParams("w1", 10, later, LEASE)).getFirst();
        assertThat(again.id()).isEqualTo(refused.id());
        assertThat(again.lane()).isEqualTo(Lane.FLEX);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.attemptInRun()).as("a flex refusal uses none of its attempts").isEqualTo(1);
    }

    private boolean finish(ClaimedMeeting m, Outcome outcome) {
        return store.meetingFinish(new io.minutes.core.port.MeetingQueue.FinishParams(m.id(), "w1", m.attempt(), outcome, T0));
    }
}

package io.minutes.core.lane;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.ProviderBatchProgress;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.node.Node;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.ProviderBatchStore.ProviderBatch;
import io.minutes.core.port.ProviderBatchStore.ProviderBatchState;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.testing.FakeProviderBatches;
import io.minutes.core.testing.FakeProviderBatches.Crash;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.core.testing.ManualClock;
import io.minutes.core.trust.UnsupportedItems;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * The batch lane against a provider's batch API held in memory: packing, sending, polling, finishing each
 * meeting as its line is read, partial salvage, errors through the retry policy, the enqueued-token limit, and
 * a node dying at each step and another taking over without a second provider batch.
 */
class ProviderBatchLaneTest {
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final ProviderBatches.Limits LIMITS = new ProviderBatches.Limits(50_000, 200_000_000, 0);

    private final ManualClock clock = new ManualClock();
    private final InMemoryMeetingStore store = new InMemoryMeetingStore(new InProcessStoreEvents());
    private final List<ProgressEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<ProviderBatchLane.Progress> progress = Collections.synchronizedList(new ArrayList<>());
    private FakeProviderBatches provider;

    @BeforeEach
    void provider() {
        provider = new FakeProviderBatches(clock, LIMITS);
    }

    private ProviderBatchLane lane(String node) {
        return lane(node, provider, m -> false);
    }

    private ProviderBatchLane lane(String node, ProviderBatches batches, java.util.function.Predicate<ClaimedMeeting> sensitive) {
        var prepared = Node.beforeTheProvider(new LocalAnalyzer(), store, batches.model(), false, UnsupportedItems.DEFAULT, clock,
                new StoreOutage());
        return new ProviderBatchLane(store, batches, prepared, store, UnsupportedItems.DEFAULT, sensitive, RetryPolicy.ofDefaults(), clock, events::add,
                new WorkerId("host", 1, node), new ProviderBatchLane.Settings(POLL, null, true), progress::add);
    }

    private Batch batch(Lane lane, int meetings) {
        return batch(lane, meetings, Tier.ORDINARY);
    }

    private Batch batch(Lane lane, int meetings, Tier tier) {
        List<NewMeeting> list = IntStream.range(0, meetings).mapToObj(i -> NewMeeting.ready("m" + i + ".txt", "Meeting " + i,
                "hash-" + lane + tier + i, new Transcript("txt", List.of(
                        Segment.of("Ann", "We decided to ship release " + i + " on Friday."),
                        Segment.of("Bob", "Bob will write the release notes for " + i + " by Thursday."))))).toList();
        return store.batchCreate(new BatchCreateParams(null, "openai", clock.instant(), list, Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, tier, null, null, null, null, lane));
    }

    private List<Meeting> meetings(Batch batch) {
        return store.meetingsList(batch.id());
    }

    private void assertEachCompletedOnceByOneProviderBatch(Batch batch, int meetings) {
        assertThat(meetings(batch)).hasSize(meetings).allSatisfy(m -> {
            assertThat(m.state()).as(m.source()).isEqualTo(MeetingState.COMPLETED);
            assertThat(m.ranLane()).isEqualTo(Lane.BATCH);
            assertThat(m.analysis().decisions()).isNotEmpty();
        });
        assertThat(provider.answeredTimes()).hasSize(meetings).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
        assertThat(provider.creates()).isEqualTo(1);
    }

    @Test
    void aBatchLaneMeetingIsPackedSentPolledAndCompletedAtHalfTheListPrice() {
        Batch batch = batch(Lane.BATCH, 5);
        ProviderBatchLane lane = lane("n1");

        lane.pass();
        assertThat(provider.creates()).isEqualTo(1);
        assertThat(provider.remotes().getFirst().lines).hasSize(5);
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.WAITING);
        assertThat(store.meetingsClaim(new ClaimParams("realtime", 10, clock.instant(), POLL))).isEmpty();
        assertThat(events).filteredOn(e -> e.isMeetingMove() && e.state() == MeetingState.WAITING).hasSize(5);

        provider.runAll();
        provider.answer(3);
        clock.advance(POLL);
        lane.pass();
        assertThat(progress).last().satisfies(p -> {
            assertThat(p.counts().done()).isEqualTo(3);
            assertThat(p.describe()).isEqualTo("in provider batch batch_1: 3 of 5 done (in_progress)");
        });
        // the provider's counts reach the batch's progress events (SSE, the CLI's progress line), not only the log
        assertThat(events).filteredOn(e -> !e.isMeetingMove()).last().satisfies(e -> {
            assertThat(e.batchId()).isEqualTo(batch.id());
            assertThat(e.meetingId()).isNull();
            assertThat(e.providerBatch()).isEqualTo(new ProviderBatchProgress("batch_1", "in_progress", 3, 5));
            assertThat(e.counts().waiting()).isEqualTo(5);
        });
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.WAITING);

        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();

        assertEachCompletedOnceByOneProviderBatch(batch, 5);
        double paid = meetings(batch).stream().mapToDouble(m -> m.usage().costUsd()).sum();
        double list = meetings(batch).stream().mapToDouble(Meeting::listCostOrCost).sum();
        assertThat(paid).isCloseTo(list / 2, within(1e-12));
        assertThat(store.batchGet(batch.id()).orElseThrow().counts().isFinished()).isTrue();
        ProviderBatch pb = store.providerBatchGet(provider.remotes().getFirst().key).orElseThrow();
        assertThat(pb.state()).isEqualTo(ProviderBatchState.COLLECTED);
        assertThat(pb.remoteId()).isEqualTo("batch_1");
        assertThat(provider.remotes().getFirst().discarded).isTrue();
        assertThat(store.providerBatchLedger("openai", "gpt-4o-mini")).isZero();
        assertThat(events).filteredOn(e -> e.state() == MeetingState.COMPLETED).hasSize(5)
                .last().satisfies(e -> assertThat(e.counts().completed()).isEqualTo(5));
    }

    @Test
    void realtimeMeetingsAreLeftToTheDispatcher() {
        batch(Lane.REALTIME, 3);
        lane("n1").pass();
        assertThat(provider.creates()).isZero();
        assertThat(store.meetingsClaim(new ClaimParams("realtime", 10, clock.instant(), POLL))).hasSize(3);
    }

    @Test
    void whatTheLaneCannotSendGoesToTheRealtimeLane() {
        Batch batch = batch(Lane.BATCH, 3);
        Batch sensitive = batch(Lane.BATCH, 1, Tier.SENSITIVE);
        String tooLong = meetings(batch).get(1).id();
        provider.refuseLine(tooLong);

        lane("n1").pass();

        assertThat(provider.remotes()).singleElement().satisfies(r -> assertThat(r.lines).hasSize(2));
        List<ClaimedMeeting> realtime = store.meetingsClaim(new ClaimParams("realtime", 10, clock.instant(), POLL));
        assertThat(realtime).extracting(ClaimedMeeting::id).containsExactlyInAnyOrder(tooLong, meetings(sensitive).getFirst().id());
    }

    @Test
    void aSensitiveMeetingGoesInAProviderBatchWhenAllowSensitiveNamesTheProvider() {
        batch(Lane.BATCH, 2, Tier.SENSITIVE);
        lane("n1", provider, m -> true).pass();
        assertThat(provider.remotes()).singleElement().satisfies(r -> assertThat(r.lines).hasSize(2));
    }

    @Test
    void aCachedAnswerIsNotSentAgain() {
        Batch first = batch(Lane.BATCH, 2);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        provider.end(ProviderBatches.Status.COMPLETED);
        lane.pass();
        assertEachCompletedOnceByOneProviderBatch(first, 2);

        batch(Lane.BATCH, 2); // the same transcripts again
        lane.pass();

        assertThat(provider.creates()).as("answered from the cache in the realtime lane").isEqualTo(1);
        assertThat(store.meetingsClaim(new ClaimParams("realtime", 10, clock.instant(), POLL))).hasSize(2);
    }

    @Test
    void linesNotRunAreSalvagedAndPlannedIntoTheNextProviderBatch() {
        Batch batch = batch(Lane.BATCH, 5);
        provider.notRunPerBatch(2);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        provider.end(ProviderBatches.Status.EXPIRED);
        provider.notRunPerBatch(0);

        clock.advance(POLL);
        lane.pass(); // reads the 3 answered lines, plans the 2 expired again, packs and sends them

        assertThat(meetings(batch)).filteredOn(m -> m.state() == MeetingState.COMPLETED).hasSize(3);
        assertThat(provider.creates()).isEqualTo(2);
        assertThat(provider.remotes().get(1).lines).hasSize(2);
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.COMPLETED);
        assertThat(provider.answeredTimes()).hasSize(5).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
        assertThat(meetings(batch)).allSatisfy(m -> assertThat(m.attempts()).as("a line not run uses no attempt").hasSize(1));
    }

    @Test
    void erroredLinesGoThroughTheRetryPolicy() {
        Batch batch = batch(Lane.BATCH, 3);
        String transientOne = meetings(batch).get(0).id();
        String permanentOne = meetings(batch).get(1).id();
        provider.lineErrors(transientOne, Failure.of(Failure.Cause.SERVER_ERROR, "500: the server had an error"));
        provider.lineErrors(permanentOne, Failure.of(Failure.Cause.REFUSED_REQUEST, "400: invalid request"));
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        provider.end(ProviderBatches.Status.COMPLETED);
        lane.pass();

        Map<String, Meeting> byId = new java.util.HashMap<>();
        meetings(batch).forEach(m -> byId.put(m.id(), m));
        assertThat(byId.get(transientOne).state()).isEqualTo(MeetingState.QUEUED);
        assertThat(byId.get(transientOne).lane()).isEqualTo(Lane.BATCH);
        assertThat(byId.get(permanentOne).state()).isEqualTo(MeetingState.FAILED);
        assertThat(byId.get(permanentOne).lastFailure().message()).contains("400");

        provider.clearLineError(transientOne);
        clock.advance(Duration.ofMinutes(5)); // past the retry's backoff
        lane.pass();
        provider.end(ProviderBatches.Status.COMPLETED);
        lane.pass();
        Meeting retried = store.meetingsList(batch.id()).stream().filter(m -> m.id().equals(transientOne)).findFirst().orElseThrow();
        assertThat(retried.state()).isEqualTo(MeetingState.COMPLETED);
        assertThat(retried.attempts()).hasSize(2);
        assertThat(provider.creates()).isEqualTo(2);
    }

    @Test
    void cancellingTheOnlyMinutesBatchInAProviderBatchCancelsItAtTheProvider() {
        Batch batch = batch(Lane.BATCH, 3);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        provider.runAll();
        provider.answer(1);
        clock.advance(POLL);
        lane.pass();
        assertThat(provider.cancelRequests()).isEmpty();

        assertThat(store.batchCancel(new BatchStore.BatchCancelParams(batch.id(), clock.instant()))).isEqualTo(3);
        clock.advance(POLL);
        lane.pass();

        assertThat(provider.cancelRequests()).containsExactly("batch_1");
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.CANCELLED);
        ProviderBatch pb = store.providerBatchGet(provider.remotes().getFirst().key).orElseThrow();
        assertThat(pb.state()).isEqualTo(ProviderBatchState.COLLECTED); // its output read, then deleted by retention
        assertThat(provider.remotes().getFirst().discarded).isTrue();

        clock.advance(POLL);
        lane.pass();
        assertThat(provider.cancelRequests()).as("asked once").hasSize(1);
    }

    @Test
    void aProviderBatchStillWantedByAnotherMinutesBatchIsNotCancelled() {
        Batch cancelled = batch(Lane.BATCH, 2);
        Batch kept = batch(Lane.BATCH, 2);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        assertThat(provider.creates()).isEqualTo(1);
        provider.runAll();

        store.batchCancel(new BatchStore.BatchCancelParams(cancelled.id(), clock.instant()));
        clock.advance(POLL);
        lane.pass();
        assertThat(provider.cancelRequests()).isEmpty();

        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertThat(meetings(kept)).extracting(Meeting::state).containsOnly(MeetingState.COMPLETED);
        assertThat(meetings(cancelled)).extracting(Meeting::state).containsOnly(MeetingState.CANCELLED);
    }

    @Test
    void theEnqueuedTokenLimitMeansWaitNotFail() {
        Batch batch = batch(Lane.BATCH, 3);
        provider.enqueuedFull(true);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        assertThat(provider.creates()).isZero();
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.WAITING);
        assertThat(store.providerBatchGet(provider.lastStagedKey()).orElseThrow().state()).isEqualTo(ProviderBatchState.STAGED);

        provider.enqueuedFull(false);
        clock.advance(POLL.multipliedBy(2)); // the wait after a refusal
        lane.pass();
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertEachCompletedOnceByOneProviderBatch(batch, 3);
    }

    /** Refused at the create (429 token_limit_exceeded): not tried again at every poll, but after a doubling wait; said once. */
    @Test
    void aCreateRefusedForTheEnqueuedTokenLimitIsTriedAgainAfterADoublingWaitNotAtEveryPoll() {
        Batch batch = batch(Lane.BATCH, 3);
        provider.enqueuedFull(true);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        assertThat(provider.createRequests()).isEqualTo(1);
        int[] triedAt = new int[13];
        for (int poll = 1; poll <= 12; poll++) {
            clock.advance(POLL);
            lane.pass();
            triedAt[poll] = provider.createRequests();
        }
        // tries at 0, then after 2, 4 and 8 polls: at polls 2, 6 and 14 (not within the first 12)
        assertThat(triedAt[1]).isEqualTo(1);
        assertThat(triedAt[2]).isEqualTo(2);
        assertThat(triedAt[5]).isEqualTo(2);
        assertThat(triedAt[6]).isEqualTo(3);
        assertThat(triedAt[12]).isEqualTo(3);
        assertThat(events).filteredOn(e -> !e.isMeetingMove()).singleElement().satisfies(e -> {
            assertThat(e.batchId()).isEqualTo(batch.id());
            assertThat(e.providerBatch().describe()).contains("enqueued-token limit is full").contains("0 of 3 done");
        });
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.WAITING);

        provider.enqueuedFull(false);
        clock.advance(POLL.multipliedBy(2));
        lane.pass();
        assertThat(provider.creates()).isEqualTo(1);
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertEachCompletedOnceByOneProviderBatch(batch, 3);
    }

    /** Created, then failed by the provider for the enqueued-token limit (OpenAI's way): its lines wait, packed again only after a wait. */
    @Test
    void aProviderBatchFailedForTheEnqueuedTokenLimitIsNotRecreatedAtEveryPoll() {
        Batch batch = batch(Lane.BATCH, 3);
        provider.failCreatedForEnqueuedTokens(true);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        assertThat(provider.createRequests()).as("one create, its failure seen, no second create in the same pass").isEqualTo(1);
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.QUEUED);
        clock.advance(POLL);
        lane.pass();
        assertThat(provider.createRequests()).isEqualTo(1);
        clock.advance(POLL);
        lane.pass();
        assertThat(provider.createRequests()).isEqualTo(2);
        for (int poll = 0; poll < 3; poll++) {
            clock.advance(POLL);
            lane.pass();
        }
        assertThat(provider.createRequests()).as("the wait doubled to four polls").isEqualTo(2);
        assertThat(meetings(batch)).extracting(Meeting::state).doesNotContain(MeetingState.FAILED);

        provider.failCreatedForEnqueuedTokens(false);
        clock.advance(POLL);
        lane.pass();
        assertThat(provider.createRequests()).isEqualTo(3);
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.COMPLETED);
        assertThat(provider.answeredTimes()).hasSize(3).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
    }

    @Test
    void theLedgerHoldsTheNextPackUntilAProviderBatchEnds() {
        FakeProviderBatches small = new FakeProviderBatches(clock, new ProviderBatches.Limits(2, 200_000_000, 60));
        provider = small;
        Batch batch = batch(Lane.BATCH, 4);
        ProviderBatchLane lane = lane("n1");
        lane.pass();
        assertThat(small.creates()).as("2 lines of ~25 tokens leave no room for a third in 60").isEqualTo(1);
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertThat(small.creates()).isEqualTo(2);
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        lane.pass();
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.COMPLETED);
    }

    // ---- a node dies at each step; another takes over once its lease expires -----------------------

    private void dieThenTakeOver(Crash at, Batch batch, int meetings) {
        ProviderBatchLane first = lane("dies");
        assertThatThrownBy(first::pass).isInstanceOf(IllegalStateException.class).hasMessageContaining("killed");

        ProviderBatchLane second = lane("takes-over");
        clock.advance(Duration.ofMinutes(6)); // past the dead node's lease
        second.pass();
        provider.end(ProviderBatches.Status.COMPLETED);
        clock.advance(POLL);
        second.pass();
        if (at == Crash.WHILE_READING) return;
        assertEachCompletedOnceByOneProviderBatch(batch, meetings);
    }

    @Test
    void aNodeKilledBeforeTheUploadIsResumedWithOneProviderBatch() {
        Batch batch = batch(Lane.BATCH, 4);
        provider.crash(Crash.BEFORE_STAGE);
        dieThenTakeOver(Crash.BEFORE_STAGE, batch, 4);
    }

    @Test
    void aNodeKilledAfterTheCreateWasSentIsResumedWithoutASecondProviderBatch() {
        Batch batch = batch(Lane.BATCH, 4);
        provider.crash(Crash.AFTER_CREATE);
        dieThenTakeOver(Crash.AFTER_CREATE, batch, 4);
    }

    @Test
    void aNodeKilledWhileReadingTheOutputIsResumedAndEachMeetingCompletesOnce() {
        Batch batch = batch(Lane.BATCH, 6);
        ProviderBatchLane first = lane("dies");
        first.pass();
        provider.end(ProviderBatches.Status.COMPLETED);
        provider.crashWhileReadingAfter(3);
        clock.advance(POLL);
        assertThatThrownBy(first::pass).hasMessageContaining("killed while reading");
        assertThat(meetings(batch)).filteredOn(m -> m.state() == MeetingState.COMPLETED).as("kept as read").hasSize(3);

        clock.advance(Duration.ofMinutes(6));
        lane("takes-over").pass();

        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.COMPLETED);
        assertThat(provider.creates()).isEqualTo(1);
        assertThat(events).filteredOn(e -> e.state() == MeetingState.COMPLETED).as("each completed once").hasSize(6);
    }

    @Test
    void aLiveNodesProviderBatchIsNotTakenOver() {
        batch(Lane.BATCH, 2);
        lane("n1").pass();
        clock.advance(POLL);
        lane("n2").pass();
        ProviderBatch pb = store.providerBatchGet(provider.remotes().getFirst().key).orElseThrow();
        assertThat(pb.leaseOwner()).endsWith("n1");
        assertThat(provider.creates()).isEqualTo(1);
    }
}

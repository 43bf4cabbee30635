package io.minutes.store;

import io.minutes.core.domain.Analysis;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.BatchStatus;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.domain.TranscriptionUsage;
import io.minutes.core.domain.Usage;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.MeetingQueue.FinishParams;
import io.minutes.core.port.MeetingQueue.Outcome;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.MeetingQueue.BudgetReserveParams;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.Reservation;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.MeetingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Budgets held in the store: reservations are granted only while spent + reserved stays within the
 * budget, atomically across nodes (two stores on one database), and free themselves when their attempt
 * ends, whoever ends it.
 */
public abstract class BudgetContract {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected MeetingStore store;

    /** Judges every move the test's stores make against MeetingState's table. */
    protected final AllowedMovesWatch moves = new AllowedMovesWatch();

    /** A fresh, empty store. */
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

    private static List<NewMeeting> meetings(int count) {
        return IntStream.range(0, count).mapToObj(i -> NewMeeting.ready("m" + i + ".txt", "m" + i, "h" + i,
                new Transcript("txt", List.of(Segment.of("Ann", "point " + i))))).toList();
    }

    private Batch batch(Double budgetUsd, int meetings) {
        return store.batchCreate(TestBatches.batch(null, "sim", T0, meetings(meetings), Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, budgetUsd));
    }

    private static Reservation reserve(MeetingStore on, ClaimedMeeting m, double usd) {
        return on.meetingBudgetReserve(new BudgetReserveParams(m.id(), m.attempt(), usd));
    }

    private static Analysis analysis() {
        return new Analysis("t", "s", List.of(), List.of(), List.of(), List.of(), List.of());
    }

    @Test
    void aBatchWithoutABudgetGrantsEverything() {
        Batch batch = batch(null, 1);
        ClaimedMeeting m = store.meetingsClaim(new ClaimParams("n", 1, T0, LEASE)).getFirst();
        assertThat(store.batchBudget(batch.id())).isEmpty();
        assertThat(m.budgeted()).as("claimed as a meeting that needs no reservation").isFalse();
        assertThat(reserve(store, m, 1_000)).isEqualTo(new Reservation(true, java.util.Optional.empty()));
    }

    @Test
    void reservationsAreGrantedWhileSpentPlusReservedFitsAndCompletingTurnsThemIntoSpending() {
        Batch batch = batch(1.0, 4);
        List<ClaimedMeeting> claimed = store.meetingsClaim(new ClaimParams("n", 4, T0, LEASE));
        assertThat(claimed).as("claimed as meetings whose calls are reserved first").allMatch(ClaimedMeeting::budgeted);

        assertThat(reserve(store, claimed.get(0), 0.4).granted()).isTrue();
        assertThat(reserve(store, claimed.get(1), 0.4).granted()).isTrue();
        Reservation refused = reserve(store, claimed.get(2), 0.4);
        assertThat(refused.granted()).isFalse();
        assertThat(refused.budget()).contains(new Budget(1.0, 0.0, 0.8, 0));
        assertThat(refused.budget().orElseThrow().refusal(0.4))
                .isEqualTo("budget_exhausted: spent $0.0000 + reserved $0.8000 + this meeting's up to $0.4000 would pass the budget of $1.0000");
        assertThat(reserve(store, claimed.get(0), 0.5).granted()).as("a meeting's new reservation replaces its own").isTrue();
        assertThat(store.batchBudget(batch.id()).orElseThrow().reservedUsd()).isCloseTo(0.9, within(1e-9));

        assertThat(store.meetingFinish(new FinishParams(claimed.get(0).id(), "n", claimed.get(0).attempt(), Outcome.completed(analysis(), new Usage(100, 10, 0.1)), T0))).isTrue();
        Budget after = store.batchBudget(batch.id()).orElseThrow();
        assertThat(after.spentUsd()).isCloseTo(0.1, within(1e-9));
        assertThat(after.reservedUsd()).as("the completed call holds nothing any more").isCloseTo(0.4, within(1e-9));
        assertThat(reserve(store, claimed.get(2), 0.4).granted()).isTrue();
        assertThat(reserve(store, claimed.get(3), 0.2).granted()).as("0.1 + 0.8 + 0.2 > 1").isFalse();

        store.meetingFinish(new MeetingStore.FinishParams(claimed.get(3).id(), "n", claimed.get(3).attempt(), Outcome.skipped(refused.budget().orElseThrow().refusal(0.2)), T0));
        assertThat(store.batchBudget(batch.id()).orElseThrow().exhaustedMeetings()).isEqualTo(1);
    }

    @Test
    void aTranscriptionSettlesItsReservationAndItsCostCountsAsSpent() {
        NewMeeting audio = NewMeeting.audio("talk.mp3", "talk", "blob1", "blob1", "audio/mpeg");
        Batch batch = store.batchCreate(TestBatches.batch(null, "sim", T0, List.of(audio), Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, 0.05));
        ClaimedMeeting m = store.meetingsClaim(new ClaimParams("n", 1, T0, LEASE)).getFirst();
        assertThat(reserve(store, m, 0.03).granted()).isTrue();

        assertThat(store.meetingTranscribed(new MeetingQueue.TranscribedParams(m.id(), "n", m.attempt(),
                new Transcript("openai", List.of(Segment.of(null, "hello there"))), new TranscriptionUsage(240, 0.024), T0))).isTrue();

        Budget settled = store.batchBudget(batch.id()).orElseThrow();
        assertThat(settled.spentUsd()).isCloseTo(0.024, within(1e-9));
        assertThat(settled.reservedUsd()).isZero();
        assertThat(reserve(store, m, 0.026).granted()).isTrue();
        assertThat(reserve(store, m, 0.027).granted()).isFalse();
    }

    @Test
    void aCrashedNodesReservationsAreFreedWhenItsLeasesAreReaped() {
        Batch batch = batch(1.0, 2);
        ClaimedMeeting dead = store.meetingsClaim(new ClaimParams("dead-node", 1, T0, LEASE)).getFirst();
        assertThat(reserve(store, dead, 0.9).granted()).isTrue();
        ClaimedMeeting other = store.meetingsClaim(new ClaimParams("live-node", 1, T0.plusSeconds(20), LEASE)).getFirst();
        assertThat(reserve(store, other, 0.5).granted()).isFalse();

        assertThat(store.meetingsReap(ReapFixtures.atOnceUpTo(T0.plus(LEASE).plusSeconds(1), null, 3))).isEqualTo(1);

        assertThat(store.batchBudget(batch.id()).orElseThrow().reservedUsd()).isZero();
        assertThat(reserve(store, other, 0.5).granted()).isTrue();
        assertThat(reserve(store, dead, 0.1).granted()).as("a finished attempt reserves nothing").isFalse();
    }

    @Test
    void aBudgetCanBeSetAgainAndAFinishedBatchSaysItWasExhausted() {
        Batch batch = batch(null, 1);
        store.batchBudgetSet(new BatchStore.BatchBudgetParams(batch.id(), 0.01));
        ClaimedMeeting m = store.meetingsClaim(new ClaimParams("n", 1, T0, LEASE)).getFirst();
        Reservation refused = reserve(store, m, 0.02);
        assertThat(refused.granted()).isFalse();
        store.meetingFinish(new MeetingStore.FinishParams(m.id(), "n", m.attempt(), Outcome.skipped(refused.budget().orElseThrow().refusal(0.02)), T0));

        Budget budget = store.batchBudget(batch.id()).orElseThrow();
        assertThat(budget.exhaustedMeetings()).isEqualTo(1);
        assertThat(BatchStatus.of(store.batchGet(batch.id()).orElseThrow().counts(), budget.exhaustedMeetings()))
                .isEqualTo(BatchStatus.BUDGET_EXHAUSTED);
        store.batchBudgetSet(new BatchStore.BatchBudgetParams(batch.id(), null));
        assertThat(store.batchBudget(batch.id())).isEmpty();
    }

    @Test
    void reservationsFromTwoNodesAtOnceNeverPassTheBudget() throws Exception {
        Batch batch = batch(1.0, 40);
        try (MeetingStore other = moves.watch(otherNode())) {
            List<ClaimedMeeting> claimed = new ArrayList<>(store.meetingsClaim(new ClaimParams("a", 20, T0, LEASE)));
            claimed.addAll(other.meetingsClaim(new ClaimParams("b", 20, T0, LEASE)));
            assertThat(claimed).hasSize(40);
            CountDownLatch start = new CountDownLatch(1);
            List<Callable<Boolean>> calls = new ArrayList<>();
            for (int i = 0; i < claimed.size(); i++) {
                MeetingStore node = i % 2 == 0 ? store : other;
                ClaimedMeeting m = claimed.get(i);
                calls.add(() -> {
                    start.await();
                    return reserve(node, m, 0.1).granted();
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(8);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (Callable<Boolean> call : calls) results.add(pool.submit(call));
                start.countDown();
                int granted = 0;
                for (Future<Boolean> r : results) if (r.get()) granted++;
                // 10 x 0.1 is 0.9999999999999999 in binary floating point, so the 10th fits; the 11th never does
                assertThat(granted).isEqualTo(10);
            } finally {
                pool.shutdownNow();
            }
            assertThat(store.batchBudget(batch.id()).orElseThrow().reservedUsd()).isLessThanOrEqualTo(1.0);
        }
    }
}

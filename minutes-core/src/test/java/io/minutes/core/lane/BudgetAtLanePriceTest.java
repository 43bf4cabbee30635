package io.minutes.core.lane;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Budget;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.Pipeline;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.SensitiveTier;
import io.minutes.core.engine.StepOutcome;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.node.Node;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.testing.FakeProviderBatches;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.core.testing.ManualClock;
import io.minutes.core.trust.UnsupportedItems;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Budgets at the lane's price, with the core's in-memory store, a provider batch API held in memory and a hand-moved
 * clock: a budgeted meeting waits in a provider batch holding its line's batch price; at the deadline's cut-over the
 * lines not run are given back and their meetings, sent realtime, reserve the list price through the realtime
 * pipeline, which refuses the one that no longer fits.
 */
class BudgetAtLanePriceTest {
    private static final Duration POLL = Duration.ofSeconds(5);
    private static final CutOverWatch.Settings WATCH = new CutOverWatch.Settings(
            new RealtimeDrain(RateLimits.NONE, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            DeadlineBuffer.fixed(Duration.ofMinutes(5)), BatchLatency.assumed(Duration.ofMinutes(30)), 1_000);

    private final ManualClock clock = new ManualClock();
    private final InMemoryMeetingStore store = new InMemoryMeetingStore(new InProcessStoreEvents());
    private final FakeProviderBatches provider = new FakeProviderBatches(clock, new ProviderBatches.Limits(50_000, 200_000_000, 0));

    /** The same call in realtime: its line's tokens at the list price, as the provider's realtime analyzer estimates it. */
    private final Analyzer listPriced = new Analyzer() {
        private final LocalAnalyzer local = new LocalAnalyzer();

        @Override
        public String name() {
            return "openai";
        }

        @Override
        public Result analyze(Request request) throws AnalyzerException {
            return local.analyze(request);
        }

        @Override
        public Estimate estimate(Request request) {
            ProviderBatches.Line line = lineOf(request.transcript());
            return new Estimate(line.inputTokens(), line.maxOutputTokens(),
                    (line.inputTokens() + line.maxOutputTokens()) * FakeProviderBatches.LIST_PRICE_PER_TOKEN);
        }
    };

    private ProviderBatchLane lane() {
        var prepared = Node.beforeTheProvider(new LocalAnalyzer(), store, provider.model(), false, UnsupportedItems.DEFAULT,
                clock, new StoreOutage());
        return new ProviderBatchLane(store, provider, prepared, store, UnsupportedItems.DEFAULT, m -> false,
                RetryPolicy.ofDefaults(), clock, e -> { }, new WorkerId("host", 1, "n1"),
                new ProviderBatchLane.Settings(POLL, null, true), p -> { }, new CutOverWatch(store, WATCH, clock));
    }

    private static Transcript transcript(int i) {
        return new Transcript("txt", List.of(Segment.of("Ann", "We decided to ship release " + i + " on Friday."),
                Segment.of("Bob", "Bob will write the notes for " + i + " by Thursday.")));
    }

    private ProviderBatches.Line lineOf(Transcript transcript) {
        return provider.line("x", new Analyzer.Request("x", "x", transcript, null)).orElseThrow();
    }

    private Batch batch(int meetings, double budgetUsd, Duration deadlineIn) {
        List<NewMeeting> list = IntStream.range(0, meetings).mapToObj(i -> NewMeeting.ready("m" + i + ".txt", "Meeting " + i,
                "hash-" + i, transcript(i))).toList();
        Batch batch = store.batchCreate(new BatchCreateParams(null, "openai", clock.instant(), list, Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, budgetUsd, null, null, null, Lane.BATCH));
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), clock.instant().plus(deadlineIn)));
        return batch;
    }

    private Budget budget(Batch batch) {
        return store.batchBudget(batch.id()).orElseThrow();
    }

    @Test
    void aBudgetedMeetingWaitsAtTheBatchPriceAndAtTheCutOverIsRePricedInRealtime() {
        double line = lineOf(transcript(0)).maxCostUsd(); // every meeting's line is as long: one price for all
        assertThat(line).isPositive();
        // five lines fit at the batch price; at the list price (twice it) the budget holds fewer
        Batch batch = batch(5, 5 * line * 1.001, Duration.ofHours(2));
        ProviderBatchLane lane = lane();

        lane.pass();
        assertThat(provider.creates()).as("a budgeted batch is sent in a provider batch").isEqualTo(1);
        assertThat(budget(batch).reservedUsd()).as("each line holds its batch price").isCloseTo(5 * line, within(1e-12));

        provider.runAll();
        provider.answer(2);
        clock.set(clock.instant().plus(Duration.ofHours(2)).minus(Duration.ofMinutes(10))); // the cut-over
        lane.pass();

        List<Meeting> after = store.meetingsList(batch.id());
        List<Meeting> answered = after.stream().filter(m -> m.state() == MeetingState.COMPLETED).toList();
        assertThat(answered).hasSize(2).allSatisfy(m -> assertThat(m.ranLane()).isEqualTo(Lane.BATCH));
        double spent = answered.stream().mapToDouble(m -> m.usage().costUsd()).sum();
        assertThat(budget(batch).spentUsd()).as("what the answered lines cost at the batch price").isCloseTo(spent, within(1e-12));
        assertThat(budget(batch).reservedUsd()).as("the lines given back hold nothing").isZero();

        // the realtime lane takes the other three; each reserves the list price of its call before it is sent
        Pipeline realtime = new Pipeline(listPriced, null, new SensitiveTier(Set.of(), "openai", null),
                Pipeline.Budgets.in(store));
        List<ClaimedMeeting> claimed = store.meetingsClaim(new ClaimParams("w1", 10, clock.instant(), POLL));
        assertThat(claimed).hasSize(3);
        List<StepOutcome> outcomes = new ArrayList<>();
        for (ClaimedMeeting m : claimed) outcomes.add(realtime.run(m)); // all three in flight at once: none finished yet

        double list = 2 * line;
        assertThat(outcomes.subList(0, 2)).allSatisfy(o -> assertThat(o).isInstanceOf(StepOutcome.Completed.class));
        assertThat(outcomes.get(2)).isInstanceOfSatisfying(StepOutcome.Skipped.class, skipped -> assertThat(skipped.reason())
                .startsWith(Budget.EXHAUSTED).contains(String.format(Locale.ROOT, "up to $%.4f", list)));
        assertThat(budget(batch).reservedUsd()).as("two realtime calls in flight at the list price")
                .isCloseTo(2 * list, within(1e-12));
        assertThat(budget(batch).spentUsd() + budget(batch).reservedUsd()).isLessThanOrEqualTo(5 * line * 1.001);
    }

    @Test
    void aLineTheBudgetCannotTakeAtTheBatchPriceIsSkippedAndTheRestAreSent() {
        double line = lineOf(transcript(0)).maxCostUsd();
        Batch batch = batch(3, 2.5 * line, Duration.ofDays(2));

        lane().pass();

        assertThat(provider.creates()).isEqualTo(1);
        assertThat(provider.remotes().getFirst().lines).hasSize(2);
        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(meetings).filteredOn(m -> m.state() == MeetingState.WAITING).hasSize(2);
        assertThat(meetings).filteredOn(m -> m.state() == MeetingState.SKIPPED).singleElement()
                .satisfies(m -> assertThat(m.skipReason()).startsWith(Budget.EXHAUSTED).contains("batch price"));
        assertThat(budget(batch).exhaustedMeetings()).isEqualTo(1);
        assertThat(budget(batch).reservedUsd()).isCloseTo(2 * line, within(1e-12));
        Instant now = clock.instant();
        assertThat(store.meetingsClaim(new ClaimParams("w1", 10, now, POLL))).as("nothing left for realtime").isEmpty();
    }
}

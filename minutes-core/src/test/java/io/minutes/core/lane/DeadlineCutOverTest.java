package io.minutes.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.node.Node;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue.ClaimParams;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.testing.FakeProviderBatches;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The deadline cut-over in the batch lane, with the core's in-memory store, a provider batch API held in memory and
 * a hand-moved clock: at the cut-over the provider batch is cancelled, what it answered is kept, the rest is sent
 * realtime; a batch too close to its deadline is not put into a provider batch at all.
 */
class DeadlineCutOverTest {
    private static final Duration POLL = Duration.ofSeconds(5);
    /** One call at a time, 60 s each: 5 meetings drain in 5 min; the buffer 5 min; provider batches take 30 min at p95. */
    private static final CutOverWatch.Settings WATCH = new CutOverWatch.Settings(
            new RealtimeDrain(RateLimits.NONE, 1, Duration.ofSeconds(60), Duration.ofSeconds(60)),
            DeadlineBuffer.fixed(Duration.ofMinutes(5)), BatchLatency.assumed(Duration.ofMinutes(30)), 1_000);

    private final ManualClock clock = new ManualClock();
    private final InMemoryMeetingStore store = new InMemoryMeetingStore(new InProcessStoreEvents());
    private final FakeProviderBatches provider = new FakeProviderBatches(clock,
            new ProviderBatches.Limits(50_000, 200_000_000, 0));

    private ProviderBatchLane lane(CutOverWatch.Settings watch) {
        var prepared = Node.beforeTheProvider(new LocalAnalyzer(), store, provider.model(), false,
                io.minutes.core.trust.UnsupportedItems.DEFAULT, clock, new StoreOutage());
        return new ProviderBatchLane(store, provider, prepared, store, io.minutes.core.trust.UnsupportedItems.DEFAULT, m -> false,
                RetryPolicy.ofDefaults(), clock, e -> { },
                new WorkerId("host", 1, "n1"), new ProviderBatchLane.Settings(POLL, null, true), p -> { },
                watch == null ? null : new CutOverWatch(store, watch, clock));
    }

    private Batch batch(int meetings, Duration deadlineIn) {
        List<NewMeeting> list = IntStream.range(0, meetings).mapToObj(i -> NewMeeting.ready("m" + i + ".txt", "Meeting " + i,
                "hash-" + i, new Transcript("txt", List.of(Segment.of("Ann", "We decided to ship release " + i + " on Friday."),
                        Segment.of("Bob", "Bob will write the notes for " + i + " by Thursday."))))).toList();
        Batch batch = store.batchCreate(new BatchCreateParams(null, "openai", clock.instant(), list, Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, null, null, null, null, Lane.BATCH));
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), clock.instant().plus(deadlineIn)));
        return batch;
    }

    private ProviderBatches.Status remoteStatus() {
        try {
            return provider.status(provider.remotes().getFirst().id).status();
        } catch (io.minutes.core.port.AnalyzerException e) {
            throw new AssertionError(e);
        }
    }

    private List<Meeting> meetings(Batch batch) {
        return store.meetingsList(batch.id());
    }

    @Test
    void atTheCutOverTheProviderBatchIsCancelledWhatItAnsweredIsKeptAndTheRestGoesRealtime() {
        Batch batch = batch(5, Duration.ofHours(2));
        Instant cutOver = clock.instant().plus(Duration.ofHours(2)).minus(Duration.ofMinutes(5)).minus(Duration.ofMinutes(5));
        ProviderBatchLane lane = lane(WATCH);

        lane.pass();
        assertThat(provider.creates()).as("2 h leave room for a provider batch of 30 min").isEqualTo(1);
        provider.runAll();
        provider.answer(2);

        clock.set(cutOver.minusSeconds(1));
        lane.pass();
        assertThat(remoteStatus()).as("not before the cut-over").isEqualTo(ProviderBatches.Status.IN_PROGRESS);

        clock.set(cutOver);
        lane.pass();

        assertThat(remoteStatus()).isEqualTo(ProviderBatches.Status.CANCELLED);
        List<Meeting> after = meetings(batch);
        assertThat(after).filteredOn(m -> m.state() == MeetingState.COMPLETED).hasSize(2)
                .allSatisfy(m -> assertThat(m.ranLane()).isEqualTo(Lane.BATCH));
        assertThat(after).filteredOn(m -> m.state() == MeetingState.QUEUED).hasSize(3)
                .allSatisfy(m -> assertThat(m.lane()).as("sent realtime from now on").isEqualTo(Lane.REALTIME));
        assertThat(store.meetingsClaim(new ClaimParams("realtime", 10, clock.instant(), POLL)))
                .as("the realtime dispatcher takes them").hasSize(3);
        assertThat(provider.creates()).as("no second provider batch").isEqualTo(1);
        assertThat(provider.answeredTimes()).hasSize(2).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
    }

    @Test
    void aBatchTooCloseToItsDeadlineForAProviderBatchIsSentRealtimeAtOnce() {
        // cut-over at 39 - 5 - 5 = 29 min from now; a provider batch takes 30 min at p95: it would be back too late
        Batch batch = batch(5, Duration.ofMinutes(39));

        lane(WATCH).pass();

        assertThat(provider.creates()).isZero();
        assertThat(meetings(batch)).allSatisfy(m -> {
            assertThat(m.state()).isEqualTo(MeetingState.QUEUED);
            assertThat(m.lane()).isEqualTo(Lane.REALTIME);
        });
    }

    @Test
    void withoutAWatchTheDeadlineIsNotLookedAt() {
        Batch batch = batch(5, Duration.ofMinutes(40));
        ProviderBatchLane lane = lane(null);

        lane.pass();
        clock.advance(Duration.ofHours(1));
        lane.pass();

        assertThat(provider.creates()).isEqualTo(1);
        assertThat(remoteStatus()).isNotEqualTo(ProviderBatches.Status.CANCELLED);
        assertThat(meetings(batch)).extracting(Meeting::state).containsOnly(MeetingState.WAITING);
    }
}

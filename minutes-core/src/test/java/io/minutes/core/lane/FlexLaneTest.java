package io.minutes.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.port.MeetingQueue;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a meeting planned for flex sends its calls in flex, waits after a refusal, or must run realtime now. */
class FlexLaneTest {
    /** One call at a time, 60 s each: 10 meetings drain in 10 min. */
    private static final RealtimeDrain DRAIN = new RealtimeDrain(RateLimits.NONE, 1, Duration.ofSeconds(60), Duration.ofSeconds(90));
    private static final Failure REFUSED = Failure.of(Failure.Cause.FLEX_UNAVAILABLE, "no flex capacity");

    private final ManualClock clock = new ManualClock();
    private final InMemoryMeetingStore store = new InMemoryMeetingStore(new InProcessStoreEvents());
    private final CutOverWatch watch = new CutOverWatch(store, new CutOverWatch.Settings(DRAIN,
            DeadlineBuffer.fixed(Duration.ofMinutes(5)), BatchLatency.assumed(Duration.ofMinutes(30)), 1_000), clock);
    private final RetryPolicy retries = RetryPolicy.builder().baseDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(8)).build();
    private final FlexLane flex = new FlexLane(watch, retries, clock);

    private Batch batch(Lane lane, int meetings) {
        List<NewMeeting> list = new ArrayList<>();
        for (int i = 0; i < meetings; i++) {
            Transcript t = new Transcript("txt", List.of(new Segment("Ann", null, null, "said " + i, List.of())), List.of());
            list.add(NewMeeting.ready(i + ".txt", "m" + i, "sha256:" + lane + i, t));
        }
        return store.batchCreate(new BatchCreateParams("run-" + lane, "fake", clock.instant(), list, Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, null, null, null, null).withLane(lane));
    }

    private ClaimedMeeting claimOne() {
        return store.meetingsClaim(new MeetingQueue.ClaimParams("w1", 1, clock.instant(), Duration.ofMinutes(1))).getFirst();
    }

    @Test
    void withoutADeadlineAFlexMeetingGoesInFlexAndARefusalAlwaysWaitsAtLeastTheRetryAfter() {
        batch(Lane.FLEX, 10);
        ClaimedMeeting m = claimOne();
        clock.advance(Duration.ofDays(30));

        assertThat(flex.laneFor(m, 1_000)).isEqualTo(Lane.FLEX);
        assertThat(flex.mayWait(m, REFUSED, 1_000)).get().satisfies(wait ->
                assertThat(wait).isBetween(Duration.ZERO, Duration.ofSeconds(1)));
        Failure saidWait = new Failure(Failure.Cause.FLEX_UNAVAILABLE, "no flex capacity", Duration.ofHours(3));
        assertThat(flex.mayWait(m, saidWait, 1_000)).contains(Duration.ofHours(3));
    }

    @Test
    void aRealtimeMeetingIsNeverSentInFlex() {
        batch(Lane.REALTIME, 1);
        assertThat(flex.laneFor(claimOne(), 1_000)).isEqualTo(Lane.REALTIME);
    }

    @Test
    void aRefusalWaitsWhileItsNextTryComesBeforeTheCutOverAndRunsRealtimeOnceItWouldNot() {
        Batch batch = batch(Lane.FLEX, 10);
        Instant deadline = clock.instant().plus(Duration.ofHours(2));
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), deadline));
        Instant cutOver = deadline.minus(Duration.ofMinutes(5)).minus(Duration.ofMinutes(10));
        ClaimedMeeting m = claimOne();

        Failure askedToWait = new Failure(Failure.Cause.FLEX_UNAVAILABLE, "no flex capacity", Duration.ofMinutes(10));
        clock.set(cutOver.minus(Duration.ofMinutes(10)).minusSeconds(1));
        assertThat(flex.laneFor(m, 1_000)).isEqualTo(Lane.FLEX);
        assertThat(flex.mayWait(m, askedToWait, 1_000)).as("tried again just before the cut-over").contains(Duration.ofMinutes(10));

        clock.set(cutOver.minus(Duration.ofMinutes(10)));
        assertThat(flex.mayWait(m, askedToWait, 1_000)).as("its next try would be at the cut-over").isEmpty();
        assertThat(flex.laneFor(m, 1_000)).as("a new call still goes in flex").isEqualTo(Lane.FLEX);

        clock.set(cutOver);
        assertThat(flex.laneFor(m, 1_000)).as("the cut-over has come").isEqualTo(Lane.REALTIME);
        assertThat(flex.mayWait(m, REFUSED, 1_000)).isEmpty();
    }

    @Test
    void theBackoffOfRepeatedRefusalsGrowsUpToTheMaxDelay() {
        batch(Lane.FLEX, 1);
        ClaimedMeeting m = claimOne();
        ClaimedMeeting tenthTry = new ClaimedMeeting(m.id(), m.batchId(), m.index(), m.source(), m.title(), m.transcript(), 10,
                9, m.leaseExpiresAt(), m.audio(), m.tier(), m.maxAttempts(), m.budgeted(), m.tenant(), m.style(), m.date(), m.lane());
        Duration longest = Duration.ZERO;
        for (int i = 0; i < 200; i++) {
            Duration wait = flex.mayWait(tenthTry, REFUSED, 1_000).orElseThrow();
            assertThat(wait).isLessThanOrEqualTo(Duration.ofSeconds(8));
            if (wait.compareTo(longest) > 0) longest = wait;
        }
        assertThat(longest).as("200 draws of a full jitter up to 8 s").isGreaterThan(Duration.ofSeconds(1));
    }
}

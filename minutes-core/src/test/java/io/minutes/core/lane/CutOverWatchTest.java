package io.minutes.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.domain.Batch;
import io.minutes.core.domain.OnDuplicate;
import io.minutes.core.domain.Priority;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.BatchCreateParams;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.core.testing.InMemoryMeetingStore;
import io.minutes.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The cut-over as the engine asks it, from a batch's stored deadline and unfinished meetings, on a hand-moved clock. */
class CutOverWatchTest {
    /** One call at a time, 60 s each: 10 meetings drain in 10 min. */
    private static final RealtimeDrain DRAIN = new RealtimeDrain(RateLimits.NONE, 1, Duration.ofSeconds(60), Duration.ofSeconds(60));

    private final ManualClock clock = new ManualClock();
    private final InMemoryMeetingStore store = new InMemoryMeetingStore(new InProcessStoreEvents());
    private final CutOverWatch watch = new CutOverWatch(store, new CutOverWatch.Settings(DRAIN,
            DeadlineBuffer.fixed(Duration.ofMinutes(5)), BatchLatency.assumed(Duration.ofMinutes(30)), 1_000), clock);

    private Batch batch(int meetings) {
        List<NewMeeting> list = new ArrayList<>();
        for (int i = 0; i < meetings; i++) {
            Transcript t = new Transcript("txt", List.of(new Segment("Ann", null, null, "said " + i, List.of())), List.of());
            list.add(NewMeeting.ready(i + ".txt", "m" + i, "sha256:" + i, t));
        }
        return store.batchCreate(new BatchCreateParams("run", "fake", clock.instant(), list, Priority.NORMAL,
                OnDuplicate.ALLOW_DUPLICATES, Tier.ORDINARY, null, null, null, null));
    }

    @Test
    void aBatchWithoutADeadlineNeverCutsOver() {
        Batch batch = batch(10);
        clock.advance(Duration.ofDays(30));
        assertThat(watch.cutOverCome(batch.id(), 1_000)).isEmpty();
        assertThat(watch.tooLateForABatch(batch.id(), 1_000)).isEmpty();
    }

    @Test
    void theCutOverComesAtTheDeadlineLessTheBufferLessTheDrainOfWhatIsLeft() {
        Batch batch = batch(10);
        Instant deadline = clock.instant().plus(Duration.ofHours(2));
        store.batchDeadlineSet(new BatchStore.BatchDeadlineParams(batch.id(), deadline));
        Instant cutOver = deadline.minus(Duration.ofMinutes(5)).minus(Duration.ofMinutes(10));

        assertThat(watch.tooLateForABatch(batch.id(), 1_000)).as("a batch of 30 min fits before it").isEmpty();
        clock.set(cutOver.minus(Duration.ofMinutes(30)).plusSeconds(1));
        assertThat(watch.tooLateForABatch(batch.id(), 1_000)).get().asString().contains("would be back at");
        assertThat(watch.cutOverCome(batch.id(), 1_000)).as("what waits may still wait").isEmpty();

        clock.set(cutOver.minusSeconds(1));
        assertThat(watch.cutOverCome(batch.id(), 1_000)).isEmpty();
        clock.set(cutOver);
        assertThat(watch.cutOverCome(batch.id(), 1_000)).get().asString().contains("cut-over").contains("10 meeting(s) left");
    }
}

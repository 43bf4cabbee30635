package io.minutes.core.engine;

import io.minutes.core.testing.ManualClock;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.MeetingState;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EtaTest {
    private final ManualClock clock = new ManualClock();
    private final Eta eta = new Eta(clock);

    /** 5 meetings at a time, 1 s each: every second 5 finish and 5 more start. */
    private int runSeconds(String batch, int total, int done, int seconds) {
        for (int s = 0; s < seconds; s++) {
            clock.advance(Duration.ofSeconds(1));
            for (int i = 0; i < 5; i++) {
                done++;
                BatchCounts counts = new BatchCounts(total - done - 5, 5, done, 0, 0, 0);
                eta.observe(new ProgressEvent(batch, "m" + done, done, "m", MeetingState.COMPLETED, 1, null, counts));
                eta.observe(new ProgressEvent(batch, "m" + (done + 5), done + 5, "m", MeetingState.RUNNING, 1, null, counts));
            }
        }
        return done;
    }

    private void start(String batch, int total) {
        for (int i = 0; i < 5; i++) {
            eta.observe(new ProgressEvent(batch, "m" + i, i, "m", MeetingState.RUNNING, 1, null,
                    new BatchCounts(total - i - 1, i + 1, 0, 0, 0, 0)));
        }
    }

    @Test
    void fiveSecondsIntoABatchOnAServiceThatWasIdleTheEtaIsWhatIsLeftNotTwoToFiveTimesMore() {
        clock.advance(Duration.ofMinutes(10)); // the service sat idle before the batch came
        start("b", 300);
        int done = runSeconds("b", 300, 0, 5);

        long left = eta.secondsLeft("b", 300 - done).orElseThrow();

        assertThat(left).as("275 meetings at 5 a second").isBetween(50L, 60L);
    }

    @Test
    void aBatchThatWaitedBehindAnotherCountsFromWhenItsOwnWorkBegan() {
        start("big", 10_000);
        runSeconds("big", 10_000, 0, 90);
        start("small", 40);
        int done = runSeconds("small", 40, 0, 2);

        assertThat(eta.secondsLeft("small", 40 - done).orElseThrow()).isBetween(5L, 7L);
        assertThat(eta.rate("big")).as("its own rate, over the last minute").isCloseTo(5.0, org.assertj.core.data.Offset.offset(0.2));
    }

    @Test
    void unknownBeforeAnyMeetingFinishedAndZeroWhenNothingIsLeft() {
        start("b", 10);
        assertThat(eta.secondsLeft("b", 10)).isEmpty();
        assertThat(eta.secondsLeft("b", 0)).hasValue(0);
    }

    @Test
    void aFinishedBatchKeepsItsRateForItsLastProgressLineThenIsForgotten() {
        start("b", 10);
        runSeconds("b", 10, 0, 1);
        clock.advance(Duration.ofSeconds(1));
        for (int i = 5; i < 10; i++) {
            eta.observe(new ProgressEvent("b", "m" + i, i, "m", MeetingState.COMPLETED, 1, null,
                    new BatchCounts(0, 9 - i, i + 1, 0, 0, 0)));
        }
        assertThat(eta.rate("b")).isEqualTo(5.0);

        clock.advance(Duration.ofMinutes(2));
        start("other", 5);
        assertThat(eta.rate("b")).isZero();
    }
}

package io.minutes.core.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.engine.RateLimits;
import io.minutes.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CutOverTest {
    /** 60 RPM, one call at a time of 10 s: 30 calls drain in 5 min. */
    private static final RealtimeDrain DRAIN = new RealtimeDrain(new RateLimits(60, 0, 0, 0), 1, Duration.ofSeconds(10),
            Duration.ofSeconds(30));

    private final ManualClock clock = new ManualClock();
    private final Instant submitted = clock.instant();
    private final CutOver cut = CutOver.of(submitted, submitted.plus(Duration.ofHours(2)), DeadlineBuffer.ofDefaults());

    @Test
    void theBufferIsFixedAtSubmissionAndTheDrainFollowsWhatStillWaits() {
        assertThat(cut.buffer()).isEqualTo(Duration.ofMinutes(12)); // 10% of 2 h
        Instant deadline = submitted.plus(Duration.ofHours(2));
        assertThat(cut.at(DRAIN, 30, 0, 0)).isEqualTo(deadline.minus(Duration.ofMinutes(12)).minus(Duration.ofMinutes(5)));
        // fewer left waiting: a later cut-over
        assertThat(cut.at(DRAIN, 6, 0, 0)).isEqualTo(deadline.minus(Duration.ofMinutes(12)).minus(Duration.ofMinutes(1)));
        assertThat(cut.at(DRAIN, 0, 0, 0)).isEqualTo(deadline.minus(Duration.ofMinutes(12)));
    }

    @Test
    void isDueOnlyOnceTheHandMovedClockReachesIt() {
        Instant at = cut.at(DRAIN, 30, 0, 0);
        clock.set(at.minusSeconds(1));
        assertThat(cut.due(clock.instant(), DRAIN, 30, 0, 0)).isFalse();
        clock.advance(Duration.ofSeconds(1));
        assertThat(cut.due(clock.instant(), DRAIN, 30, 0, 0)).isTrue();
    }

    @Test
    void aRefusedFlexCallIsTriedAgainWhileTheCutOverAllowsElseItRunsRealtime() {
        Instant at = cut.at(DRAIN, 30, 0, 0);
        clock.set(at.minus(Duration.ofMinutes(10)));
        assertThat(cut.retryFlexAt(clock.instant(), Duration.ofMinutes(2), DRAIN, 30, 0, 0))
                .contains(clock.instant().plus(Duration.ofMinutes(2)));
        clock.set(at.minus(Duration.ofMinutes(1)));
        assertThat(cut.retryFlexAt(clock.instant(), Duration.ofMinutes(2), DRAIN, 30, 0, 0)).isEmpty();
    }
}

package io.minutes.core.lane;

import io.minutes.core.domain.Lane;
import static org.assertj.core.api.Assertions.assertThat;

import io.minutes.core.engine.RateLimits;
import io.minutes.core.lane.LanePrices.TokenPrice;
import io.minutes.core.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LanePlannerTest {
    private static final TokenPrice LIST = new TokenPrice(0.15, 0.60); // gpt-4o-mini
    private static final TokenPrice HALF = new TokenPrice(0.075, 0.30);
    private static final LanePrices PRICES = new LanePrices(LIST, HALF, HALF);
    /** 500 RPM, 200k TPM, 10 calls at once, 20 s a call (60 s in flex). */
    private static final RealtimeDrain DRAIN = new RealtimeDrain(new RateLimits(500, 200_000, 0, 0), 10,
            Duration.ofSeconds(20), Duration.ofSeconds(60));
    private static final LaneOffer OPENAI = new LaneOffer(true, true, false);
    private static final LaneOffer ANTHROPIC = new LaneOffer(true, false, false);

    private final ManualClock clock = new ManualClock();
    private final LanePlanner planner = new LanePlanner(clock);

    private static List<LanePlanner.Meeting> meetings(int n) {
        List<LanePlanner.Meeting> list = new ArrayList<>();
        for (int i = 0; i < n; i++) list.add(new LanePlanner.Meeting("m" + i, 8_000, 1_000, false, true));
        return list;
    }

    private LanePlanner.Request request(List<LanePlanner.Meeting> meetings, LaneChoice choice, LaneOffer offer,
                                        BatchLatency latency, Duration deadlineIn) {
        Instant deadline = deadlineIn == null ? null : clock.instant().plus(deadlineIn);
        return new LanePlanner.Request(meetings, choice, "openai", offer, PRICES, DRAIN, latency, deadline,
                DeadlineBuffer.ofDefaults());
    }

    @Test
    void autoWithoutDeadlineSendsEveryMeetingThatCanWaitToTheProviderBatchAtHalfPrice() {
        LanePlanner.Plan plan = planner.plan(request(meetings(100), LaneChoice.AUTO, ANTHROPIC,
                BatchLatency.assumed(BatchLatency.ANTHROPIC_ASSUMED), null));

        assertThat(plan.count(Lane.BATCH)).isEqualTo(100);
        assertThat(plan.listUsd()).isCloseTo(100 * (8_000 * 0.15 + 1_000 * 0.60) / 1e6, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plan.plannedUsd()).isCloseTo(plan.listUsd() / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plan.savedUsd()).isCloseTo(plan.listUsd() / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(plan.cutOver()).isNull();
        assertThat(plan.expectedFinish()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
    }

    @Test
    void openAisAssumedDayLongBatchMissesAnEightHourDeadlineSoAutoTakesFlex() {
        LanePlanner.Plan plan = planner.plan(request(meetings(100), LaneChoice.AUTO, OPENAI,
                BatchLatency.assumed(BatchLatency.OPENAI_ASSUMED), Duration.ofHours(8)));

        assertThat(plan.count(Lane.FLEX)).isEqualTo(100);
        assertThat(plan.why()).contains("p95 24 h").contains("do not fit").contains("flex");
        assertThat(plan.cutOver()).isAfter(clock.instant()).isBefore(plan.deadline().minus(plan.buffer()));
        assertThat(plan.latestFinish()).isBeforeOrEqualTo(plan.deadline().minus(plan.buffer()));
        assertThat(plan.plannedUsd()).isCloseTo(plan.listUsd() / 2, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void withoutFlexTheMissedBatchFallsBackToRealtime() {
        LanePlanner.Plan plan = planner.plan(request(meetings(100), LaneChoice.AUTO, new LaneOffer(true, false, false),
                BatchLatency.assumed(BatchLatency.OPENAI_ASSUMED), Duration.ofHours(8)));

        assertThat(plan.count(Lane.REALTIME)).isEqualTo(100);
        assertThat(plan.savedUsd()).isZero();
        assertThat(plan.meetsDeadline()).isTrue();
        assertThat(plan.cutOver()).isNull();
    }

    @Test
    void aBatchLatencyThatFitsTheDeadlineTakesTheBatchLaneAndCutsOverInTimeToDrainEverythingInRealtime() {
        LanePlanner.Plan plan = planner.plan(request(meetings(1_000), LaneChoice.AUTO, ANTHROPIC,
                BatchLatency.assumed(BatchLatency.ANTHROPIC_ASSUMED), Duration.ofHours(8)));

        assertThat(plan.count(Lane.BATCH)).isEqualTo(1_000);
        // 1,000 calls of 9,000 tokens at 200k TPM: 45 min; the buffer: 10% of 8 h = 48 min
        Duration drain = DRAIN.time(1_000, 8_000_000, 1_000_000);
        assertThat(drain).isEqualTo(Duration.ofMinutes(45).plusSeconds(20));
        assertThat(plan.buffer()).isEqualTo(Duration.ofMinutes(48));
        assertThat(plan.cutOver()).isEqualTo(plan.deadline().minus(Duration.ofMinutes(48)).minus(drain));
        assertThat(plan.expectedFinish()).isEqualTo(clock.instant().plus(Duration.ofHours(1)));
        assertThat(plan.latestFinish()).isEqualTo(plan.deadline().minus(plan.buffer()));
        assertThat(plan.why()).contains("provider batch").contains("(assumed)");
    }

    @Test
    void measuredLatencyReplacesTheAssumedOne() {
        List<Duration> seen = new ArrayList<>();
        for (int i = 0; i < 19; i++) seen.add(Duration.ofMinutes(20));
        seen.add(Duration.ofHours(30)); // one outlier above the 95th percentile
        BatchLatency latency = BatchLatency.of(BatchLatency.OPENAI_ASSUMED, seen);
        assertThat(latency.p95()).isEqualTo(Duration.ofMinutes(20));

        LanePlanner.Plan plan = planner.plan(request(meetings(100), LaneChoice.AUTO, OPENAI, latency, Duration.ofHours(8)));

        assertThat(plan.count(Lane.BATCH)).isEqualTo(100);
        assertThat(plan.batchLatencyMeasured()).isTrue();
        assertThat(plan.why()).doesNotContain("assumed");
    }

    @Test
    void sensitiveMeetingsAndMeetingsNeedingPartsNeverWaitInAProviderBatch() {
        List<LanePlanner.Meeting> list = new ArrayList<>(meetings(3));
        list.add(new LanePlanner.Meeting("secret", 8_000, 1_000, true, true));
        list.add(new LanePlanner.Meeting("long", 400_000, 1_000, false, false));

        LanePlanner.Plan plan = planner.plan(request(list, LaneChoice.BATCH, ANTHROPIC,
                BatchLatency.assumed(Duration.ofMinutes(10)), null));

        assertThat(plan.meetings()).extracting(LanePlanner.Planned::lane)
                .containsExactly(Lane.BATCH, Lane.BATCH, Lane.BATCH, Lane.REALTIME, Lane.REALTIME);
        assertThat(plan.meetings().get(3).why()).contains("sensitive").contains("allow-sensitive");
        assertThat(plan.meetings().get(4).why()).contains("parts");

        LanePlanner.Plan allowed = planner.plan(request(list, LaneChoice.BATCH, new LaneOffer(true, false, true),
                BatchLatency.assumed(Duration.ofMinutes(10)), null));
        assertThat(allowed.meetings().get(3).lane()).isEqualTo(Lane.BATCH);
        assertThat(allowed.meetings().get(4).lane()).isEqualTo(Lane.REALTIME);
    }

    @Test
    void whenEvenRealtimeCannotMeetTheDeadlineEverythingRunsRealtimeAndThePlanSaysSo() {
        LanePlanner.Plan plan = planner.plan(request(meetings(1_000), LaneChoice.AUTO, OPENAI,
                BatchLatency.assumed(Duration.ofMinutes(1)), Duration.ofMinutes(30)));

        assertThat(plan.count(Lane.REALTIME)).isEqualTo(1_000);
        assertThat(plan.meetsDeadline()).isFalse();
        assertThat(plan.latestFinish()).isAfter(plan.deadline());
        assertThat(plan.why()).contains("even realtime alone ends after the deadline");
    }

    @Test
    void aLaneAskedForThatCannotMeetTheDeadlineGivesWayToRealtime() {
        LanePlanner.Plan plan = planner.plan(request(meetings(100), LaneChoice.BATCH, OPENAI,
                BatchLatency.assumed(BatchLatency.OPENAI_ASSUMED), Duration.ofHours(8)));

        assertThat(plan.count(Lane.REALTIME)).isEqualTo(100);
        assertThat(plan.why()).contains("provider batch asked for").contains("do not fit before the deadline");
        assertThat(plan.meetsDeadline()).isTrue();
    }

    @Test
    void flexAskedOfAProviderWithoutFlexIsRealtimeAndSaysWhy() {
        LanePlanner.Plan plan = planner.plan(request(meetings(2), LaneChoice.FLEX, ANTHROPIC,
                BatchLatency.assumed(Duration.ofHours(1)), null));

        assertThat(plan.count(Lane.REALTIME)).isEqualTo(2);
        assertThat(plan.why()).contains("does not take flex");
    }

    @Test
    void realtimeAskedIsRealtimeWhateverIsOffered() {
        LanePlanner.Plan plan = planner.plan(request(meetings(5), LaneChoice.REALTIME, OPENAI,
                BatchLatency.assumed(Duration.ofMinutes(1)), null));

        assertThat(plan.count(Lane.REALTIME)).isEqualTo(5);
        assertThat(plan.savedUsd()).isZero();
    }

    @Test
    void drainIsBoundByTheSlowerOfTheRateLimitsAndTheConcurrency() {
        // 100 calls, 10 at once, 20 s each: 10 rounds = 200 s; 500 RPM: 12 s; 900k tokens at 200k TPM: 4.5 min + one call
        assertThat(DRAIN.time(100, 800_000, 100_000)).isEqualTo(Duration.ofSeconds(270 + 20));
        assertThat(DRAIN.time(100, 1_000, 1_000)).isEqualTo(Duration.ofSeconds(200));
        assertThat(DRAIN.flexTime(100, 1_000, 1_000)).isEqualTo(Duration.ofSeconds(600));
        assertThat(DRAIN.time(0, 0, 0)).isZero();
    }

    @Test
    void theBufferIsAShareOfTheTimeLeftButNeverLessThanItsFloor() {
        DeadlineBuffer buffer = DeadlineBuffer.ofDefaults();
        assertThat(buffer.of(Duration.ofHours(8))).isEqualTo(Duration.ofMinutes(48));
        assertThat(buffer.of(Duration.ofMinutes(30))).isEqualTo(Duration.ofMinutes(5));
        assertThat(DeadlineBuffer.fixed(Duration.ofMinutes(15)).of(Duration.ofHours(8))).isEqualTo(Duration.ofMinutes(15));
        assertThat(buffer.describe()).isEqualTo("10% (at least 5m)");
    }
}

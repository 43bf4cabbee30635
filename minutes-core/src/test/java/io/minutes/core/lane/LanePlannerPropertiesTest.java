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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the meetings, limits, batch latency and deadline: when realtime alone could meet the deadline, the plan
 * does too, even at its worst (the provider batch returns nothing and flex is refused every time until the
 * cut-over); the worst case is worked out here from the plan's lanes and cut-over alone.
 */
class LanePlannerPropertiesTest {
    private static final Instant NOW = Instant.parse("2026-12-04T21:00:00Z");
    private static final LanePrices PRICES = new LanePrices(new TokenPrice(2.5, 10), new TokenPrice(1.25, 5),
            new TokenPrice(1.25, 5));

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void thePlanNeverEndsAfterTheDeadlineWhenRealtimeAloneCouldMeetIt(@ForAll("requests") LanePlanner.Request request) {
        LanePlanner.Plan plan = new LanePlanner(new ManualClock(NOW)).plan(request);
        Duration realtimeAlone = drain(request, plan.meetings(), request.meetings(), null);
        boolean realtimeCould = request.deadline() != null && !NOW.plus(realtimeAlone).isAfter(request.deadline());

        if (realtimeCould) {
            assertThat(worstFinish(request, plan)).as(plan.why()).isBeforeOrEqualTo(request.deadline());
            assertThat(plan.meetsDeadline()).isTrue();
        }
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void autoNeverCostsMoreThanListAndKeepsTheMeetingsThatCannotWaitOutOfProviderBatches(
            @ForAll("requests") LanePlanner.Request request) {
        LanePlanner.Plan plan = new LanePlanner(new ManualClock(NOW)).plan(request);

        assertThat(plan.plannedUsd()).isLessThanOrEqualTo(plan.listUsd() + 1e-9);
        assertThat(plan.meetings()).hasSameSizeAs(request.meetings());
        for (int i = 0; i < plan.meetings().size(); i++) {
            LanePlanner.Meeting m = request.meetings().get(i);
            Lane lane = plan.meetings().get(i).lane();
            assertThat(plan.meetings().get(i).id()).isEqualTo(m.id());
            if (lane == Lane.BATCH) {
                assertThat(request.offer().batch()).isTrue();
                assertThat(m.fitsOneCall()).isTrue();
                assertThat(!m.sensitive() || request.offer().sensitiveInBatches()).isTrue();
            }
            if (lane == Lane.FLEX) assertThat(request.offer().flex()).isTrue();
        }
        if (plan.count(Lane.BATCH) > 0 && request.deadline() != null && request.choice() == LaneChoice.AUTO) {
            // chosen only when the batch is expected back before the cut-over
            assertThat(NOW.plus(request.batchLatency().p95())).isBeforeOrEqualTo(plan.cutOver());
        }
    }

    /** The worst case: realtime meetings (and flex calls beside them) hold the throttle; what waits drains in realtime from the cut-over on. */
    private static Instant worstFinish(LanePlanner.Request request, LanePlanner.Plan plan) {
        List<LanePlanner.Meeting> realtime = new ArrayList<>();
        List<LanePlanner.Meeting> flex = new ArrayList<>();
        List<LanePlanner.Meeting> waiting = new ArrayList<>();
        for (int i = 0; i < plan.meetings().size(); i++) {
            Lane lane = plan.meetings().get(i).lane();
            LanePlanner.Meeting m = request.meetings().get(i);
            if (lane == Lane.REALTIME) realtime.add(m);
            else waiting.add(m);
            if (lane == Lane.FLEX) flex.add(m);
        }
        List<LanePlanner.Meeting> beside = new ArrayList<>(realtime);
        beside.addAll(flex);
        Instant throttleFree = NOW.plus(flex.isEmpty() ? drain(request, plan.meetings(), realtime, null)
                : drain(request, plan.meetings(), beside, Lane.FLEX));
        if (waiting.isEmpty()) return throttleFree;
        assertThat(plan.cutOver()).as("a plan that keeps meetings waiting under a deadline has a cut-over").isNotNull();
        Instant from = plan.cutOver().isAfter(throttleFree) ? plan.cutOver() : throttleFree;
        return from.plus(drain(request, plan.meetings(), waiting, null));
    }

    private static Duration drain(LanePlanner.Request r, List<LanePlanner.Planned> ignored, List<LanePlanner.Meeting> ms,
                                  Lane lane) {
        long in = ms.stream().mapToLong(LanePlanner.Meeting::inputTokens).sum();
        long out = ms.stream().mapToLong(LanePlanner.Meeting::outputTokens).sum();
        return lane == Lane.FLEX ? r.drain().flexTime(ms.size(), in, out) : r.drain().time(ms.size(), in, out);
    }

    @Provide
    Arbitrary<LanePlanner.Request> requests() {
        Arbitrary<LanePlanner.Meeting> meeting = Combinators.combine(
                Arbitraries.longs().between(100, 120_000), Arbitraries.longs().between(16, 8_000),
                Arbitraries.integers().between(0, 9), Arbitraries.integers().between(0, 9))
                .as((in, out, s, f) -> new LanePlanner.Meeting("m", in, out, s == 0, f != 0));
        Arbitrary<List<LanePlanner.Meeting>> meetings = meeting.list().ofMinSize(1).ofMaxSize(300).map(list -> {
            List<LanePlanner.Meeting> named = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                LanePlanner.Meeting m = list.get(i);
                named.add(new LanePlanner.Meeting("m" + i, m.inputTokens(), m.outputTokens(), m.sensitive(), m.fitsOneCall()));
            }
            return named;
        });
        Arbitrary<RateLimits> limits = Combinators.combine(
                Arbitraries.of(0L, 50L, 500L, 10_000L), Arbitraries.of(0L, 30_000L, 200_000L, 2_000_000L),
                Arbitraries.of(0L, 40_000L), Arbitraries.of(0L, 8_000L))
                .as(RateLimits::new);
        Arbitrary<RealtimeDrain> drain = Combinators.combine(limits, Arbitraries.integers().between(1, 64),
                Arbitraries.integers().between(1, 120), Arbitraries.integers().between(1, 5))
                .as((l, c, secs, flexFactor) -> new RealtimeDrain(l, c, Duration.ofSeconds(secs), Duration.ofSeconds((long) secs * flexFactor)));
        Arbitrary<LaneOffer> offer = Combinators.combine(Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.of(true, false)).as(LaneOffer::new);
        Arbitrary<BatchLatency> latency = Arbitraries.integers().between(0, 48 * 60)
                .map(min -> BatchLatency.assumed(Duration.ofMinutes(min)));
        Arbitrary<Instant> deadline = Arbitraries.integers().between(-1, 72 * 60)
                .map(min -> min < 0 ? null : NOW.plus(Duration.ofMinutes(Math.max(1, min))));
        Arbitrary<DeadlineBuffer> buffer = Arbitraries.of(DeadlineBuffer.ofDefaults(), DeadlineBuffer.fixed(Duration.ZERO),
                new DeadlineBuffer(0.3, Duration.ofMinutes(1)));
        return Combinators.combine(meetings, Arbitraries.of(LaneChoice.AUTO, LaneChoice.AUTO, LaneChoice.AUTO, LaneChoice.FLEX,
                        LaneChoice.BATCH, LaneChoice.REALTIME), drain, offer, latency, deadline, buffer)
                .as((ms, choice, d, o, l, dl, b) -> new LanePlanner.Request(ms, choice, "openai", o, PRICES, d, l, dl, b));
    }
}

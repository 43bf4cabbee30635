package io.minutes.store;

import io.minutes.core.testing.ManualClock;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.engine.InProcessRateLimitBuckets;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.Throttle;
import io.minutes.core.port.Analyzer.Estimate;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.RateWindows;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The window a throttle learned for a provider, kept in the store: what one node learned, another
 * node (or process) on the same database reads, and its throttle paces per second without a 429 of
 * its own.
 */
public abstract class RateWindowsContract {
    private static final Instant T0 = Instant.parse("2025-03-01T09:00:00Z");
    /** 600 a minute: all of it in one burst in the minute model; per second, a bucket of 10 less the arrival margin. */
    private static final RateLimits RPM_600 = new RateLimits(600, 0, 0, 0);
    private static final int PER_SECOND_BURST = 7;
    private static final String PROVIDER = "sim";

    private final List<MeetingStore> opened = new ArrayList<>();
    private final ManualClock clock = new ManualClock(T0);
    protected MeetingStore store;

    /** A fresh, empty store. */
    protected abstract MeetingStore newStore();

    /** A second store on the database {@link #newStore} opened, as another node (or process) sees it. */
    protected abstract MeetingStore otherNode();

    @BeforeEach
    void openStore() {
        store = newStore();
        opened.add(store);
    }

    @AfterEach
    void closeStores() {
        opened.forEach(MeetingStore::close);
    }

    private RateWindows windows(MeetingStore on) {
        return (RateWindows) on;
    }

    private RateWindows nodeB() {
        MeetingStore other = otherNode();
        opened.add(other);
        return windows(other);
    }

    private Throttle throttle(RateWindows windows) {
        return throttle(windows, "sim");
    }

    private Throttle throttle(RateWindows windows, String model) {
        return new Throttle(PROVIDER, model, RPM_600, Throttle.Window.AUTO, new InProcessRateLimitBuckets(clock), windows, clock);
    }

    /** A 429 while the provider's headers said the minute had room: it quantises per second. */
    private static void refusedWithRoomLeft(Throttle throttle) {
        throttle.observed(PROVIDER, new RateLimitSnapshot(Instant.now(), 600L, 590L, null, null, null, null,
                null, null, null, null, null, null));
        throttle.rateLimited(PROVIDER, Duration.ofMillis(100));
    }

    @Test
    void nothingIsLearnedUntilANodeLearnsIt() {
        assertThat(windows(store).rateWindowPerSecondSince("sim", "sim")).isEmpty();
    }

    @Test
    void whatOneNodeLearnedTheOtherReadsAndTheLatestTimeIsKept() {
        windows(store).rateWindowPerSecondLearned("sim", "sim", T0);
        RateWindows b = nodeB();
        assertThat(b.rateWindowPerSecondSince("sim", "sim")).contains(T0);

        b.rateWindowPerSecondLearned("sim", "sim", T0.plusSeconds(30)); // learned again, later, by the other node
        windows(store).rateWindowPerSecondLearned("sim", "sim", T0.plusSeconds(10)); // a slow node's older news

        assertThat(windows(store).rateWindowPerSecondSince("sim", "sim")).contains(T0.plusSeconds(30));
        assertThat(b.rateWindowPerSecondSince("openai", "sim")).as("another provider").isEmpty();
    }

    @Test
    void eachModelOfAProviderHasItsOwnWindow() {
        windows(store).rateWindowPerSecondLearned("openai", "gpt-4o-mini", T0);
        RateWindows b = nodeB();
        b.rateWindowPerSecondLearned("openai", "gpt-4o", T0.plusSeconds(5));

        assertThat(b.rateWindowPerSecondSince("openai", "gpt-4o-mini")).contains(T0);
        assertThat(windows(store).rateWindowPerSecondSince("openai", "gpt-4o")).contains(T0.plusSeconds(5));
        assertThat(b.rateWindowPerSecondSince("openai", "gpt-4.1")).as("a model no node learned").isEmpty();
    }

    /**
     * OpenAI enforces its limits per model (Anthropic per model class): a 429 that showed one model's
     * limit is quantised says nothing certain of another's, whose limit may allow a minute's burst.
     */
    @Test
    void aThrottleOfAnotherModelKeepsTheMinutesBurstWhenOneModelWasLearnedPerSecond() {
        refusedWithRoomLeft(throttle(windows(store), "model-a"));

        assertThat(throttle(nodeB(), "model-a").startable(1_000)).as("the same model on node B").isEqualTo(PER_SECOND_BURST);
        assertThat(throttle(nodeB(), "model-b").startable(1_000)).as("another model on node B").isEqualTo(600);
    }

    @Test
    void aWindowLearnedLongAgoNoLongerStands() {
        windows(store).rateWindowPerSecondLearned("sim", "sim", T0.minus(Duration.ofDays(2)));
        assertThat(throttle(nodeB()).startable(1_000)).isEqualTo(600);
    }

    @Test
    void aThrottleOnNodeBStartsPerSecondAfterNodeALearnedIt() {
        Throttle a = throttle(windows(store));
        assertThat(a.startable(1_000)).as("a minute's burst until a 429 shows otherwise").isEqualTo(600);
        refusedWithRoomLeft(a);

        Throttle b = throttle(nodeB());

        assertThat(b.startable(1_000)).as("node B, which never saw a 429").isEqualTo(PER_SECOND_BURST);
        assertThat(throttle(RateWindows.NONE).startable(1_000)).as("a throttle that keeps nothing").isEqualTo(600);
    }

    @Test
    void aThrottleRunningOnNodeBSwitchesToPerSecondWhenNodeALearnsIt() {
        Throttle b = throttle(nodeB());
        Throttle a = throttle(windows(store));
        assertThat(b.startable(1_000)).isEqualTo(600);

        refusedWithRoomLeft(a);
        clock.advance(Duration.ofSeconds(10)); // more than a poll
        assertThat(b.tryAcquire(new Estimate(0, 0, 0)).permit()).isNotNull();

        assertThat(b.startable(1_000)).as("node B, which never saw a 429").isLessThanOrEqualTo(PER_SECOND_BURST);
    }
}

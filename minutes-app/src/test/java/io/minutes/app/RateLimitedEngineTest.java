package io.minutes.app;

import io.minutes.core.testing.TestEngine;
import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.AimdConcurrency;
import io.minutes.core.engine.Dispatcher;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.InProcessRateLimitBuckets;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.port.EventSink;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The engine with the throttle against the sim provider, which enforces its limits per second (a
 * provider that quantises its minute) and answers 429 past them: the sim's count of refused calls is
 * the check.
 */
class RateLimitedEngineTest {
    @TempDir
    Path dir;
    MeetingStore store;
    Dispatcher dispatcher;

    @BeforeEach
    void openStore() {
        store = SqliteMeetingStore.open(dir.resolve("minutes.db"), new InProcessStoreEvents());
    }

    @AfterEach
    void close() {
        if (dispatcher != null) dispatcher.shutdown(Duration.ofSeconds(5));
        store.close();
    }

    @Test
    void withTheLimitsAndTheWindowConfiguredNoCallIsRefused() {
        // 1,200 RPM = 20 calls a second, 1.2M TPM = 20k tokens a second, calls of 1.5k-3.5k tokens (input
        // + max_tokens): the tokens bind; 40 calls are about four seconds' allowance
        SimAnalyzer sim = start(new RateLimits(1_200, 1_200_000, 0, 0), Throttle.Window.SECOND, 1_200, 1_200_000);
        Batch batch = submit(40);

        awaitFinished(batch);
        assertEveryMeetingCompletedOnce(batch, sim);
        assertThat(sim.stats().refused()).as("calls answered 429").isZero();
    }

    /**
     * Issue 19: a provider quantising 600 RPM into 10 a second cost the throttle a 20% cut for the rest
     * of the run. Told the limits but not the window, it now pays one episode of 429s to learn it.
     */
    @Test
    void aProviderThatQuantisesItsMinuteIntoSecondsCostsOneEpisodeOf429s() {
        SimAnalyzer sim = start(new RateLimits(1_200, 0, 0, 0), Throttle.Window.AUTO, 1_200, 0);
        Batch batch = submit(100);

        awaitFinished(batch);
        assertEveryMeetingCompletedOnce(batch, sim);
        assertThat(sim.stats().refusalEpisodes()).as("episodes of 429s (%s)", sim.stats()).isLessThanOrEqualTo(1);
    }

    @Test
    void limitsNotConfiguredAreLearnedFromTheHeadersWithOneEpisodeOfRefusalsAtMost() {
        SimAnalyzer sim = start(RateLimits.NONE, Throttle.Window.AUTO, 1_200, 0);
        Batch batch = submit(60);

        awaitFinished(batch);
        assertEveryMeetingCompletedOnce(batch, sim);
        assertThat(sim.stats().refusalEpisodes()).as("episodes of 429s (%s)", sim.stats()).isLessThanOrEqualTo(1);
    }

    @Test
    void aLimitConfiguredTooHighIsLoweredBy429sAndNothingIsLostOrBilledTwice() {
        SimAnalyzer sim = start(new RateLimits(6_000, 0, 0, 0), Throttle.Window.AUTO, 600, 0);
        Batch batch = submit(40);

        awaitFinished(batch);
        assertEveryMeetingCompletedOnce(batch, sim);
        assertThat(sim.stats().refused()).as("calls answered 429").isPositive();
    }

    @Test
    void meetingsAreClaimedOnlyAsTheLimitAllowsThemToStart() {
        // 120 RPM: 2 calls a second, 1 held; 5 free slots would claim 5 meetings at once without admission
        SimAnalyzer sim = start(new RateLimits(120, 0, 0, 0), Throttle.Window.SECOND, 120, 0);
        Batch batch = submit(5);

        awaitFinished(batch);
        assertEveryMeetingCompletedOnce(batch, sim);
        List<Instant> claimed = store.meetingsList(batch.id()).stream()
                .map(m -> m.attempts().getFirst().startedAt()).sorted().toList();
        Instant first = claimed.getFirst();
        assertThat(claimed.stream().filter(at -> at.isBefore(first.plusMillis(300))))
                .as("meetings claimed within 300 ms of the first (no lease taken only to wait)").hasSizeLessThanOrEqualTo(2);
        assertThat(sim.stats().refused()).isZero();
    }

    /**
     * Was: {@code --concurrency auto} claimed 20 meetings first whatever the provider allowed, and grew
     * round trip by round trip, although a 60 s window lets a minute's allowance go at once.
     */
    @Test
    void withAutoConcurrencyTheFirstClaimTakesAllTheThrottleLetsStart() {
        SimAnalyzer sim = start(new RateLimits(1_200, 0, 0, 0), Throttle.Window.AUTO, 1_200, 0, EnforcedLimit.Window.SLIDING);
        Batch batch = submit(80);

        awaitFinished(batch);
        assertEveryMeetingCompletedOnce(batch, sim);
        TreeMap<Instant, Long> claims = store.meetingsList(batch.id()).stream()
                .collect(Collectors.groupingBy(m -> m.attempts().getFirst().startedAt(), TreeMap::new, Collectors.counting()));
        assertThat(claims.firstEntry().getValue()).as("meetings of the first claim (the most in flight: 50)").isEqualTo(50);
        assertThat(sim.stats().refused()).isZero();
    }

    private SimAnalyzer start(RateLimits clientLimits, Throttle.Window window, long serverRpm, long serverTpm) {
        return start(clientLimits, window, serverRpm, serverTpm, EnforcedLimit.Window.SECOND);
    }

    private SimAnalyzer start(RateLimits clientLimits, Throttle.Window window, long serverRpm, long serverTpm,
                              EnforcedLimit.Window serverWindow) {
        Clock clock = Clock.systemUTC();
        Throttle throttle = new Throttle("sim", clientLimits, window, new InProcessRateLimitBuckets(clock), clock);
        AimdConcurrency concurrency = new AimdConcurrency(50);
        SimAnalyzer sim = new SimAnalyzer(new SimAnalyzer.Settings(Duration.ofMillis(100), Duration.ofMillis(40), 0, 0,
                Duration.ofSeconds(5), serverRpm, serverTpm, 500, 7, serverWindow), throttle);
        dispatcher = TestEngine.dispatcher(store, TestEngine.pipeline(TestEngine.throttled(sim, throttle, concurrency)),
                new EngineSettings(50, Duration.ofSeconds(30), Duration.ofMillis(50)),
                RetryPolicy.builder().maxAttempts(20).baseDelay(Duration.ofMillis(10)).maxDelay(Duration.ofSeconds(1)).build(),
                clock, EventSink.NONE, WorkerId.forThisProcess(), throttle, concurrency);
        dispatcher.start();
        return sim;
    }

    private Batch submit(int count) {
        List<NewMeeting> meetings = new ArrayList<>();
        String sentence = "We reviewed the budget and Alice will send the figures by Friday. ";
        for (int i = 0; i < count; i++) {
            String text = sentence.repeat(60 + (i % 5) * 30); // 1k to 3k tokens
            Transcript t = new Transcript("txt", List.of(new Segment("Alice", 0.0, 5.0, text.strip())));
            meetings.add(NewMeeting.ready("m" + i + ".txt", "meeting " + i, "hash" + i, t));
        }
        Batch batch = store.batchCreate(TestBatches.batch("key", "sim", Instant.now(), meetings));
        dispatcher.wake();
        return batch;
    }

    private void awaitFinished(Batch batch) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());
    }

    private void assertEveryMeetingCompletedOnce(Batch batch, SimAnalyzer sim) {
        List<Meeting> meetings = store.meetingsList(batch.id());
        assertThat(meetings).extracting(Meeting::state).containsOnly(MeetingState.COMPLETED);
        assertThat(sim.stats().billed()).hasSize(meetings.size());
        assertThat(sim.stats().billedTwice()).as("meetings billed twice").isZero();
    }
}

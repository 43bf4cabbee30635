package io.minutes.providers.sim;

import io.minutes.core.domain.Failure;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.testing.TestRequests;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SimAnalyzerTest {

    static Analyzer.Request request(String id, int chars) {
        return TestRequests.request(id, id, new Transcript("txt", List.of(new Segment("A", 0.0, 1.0, "x".repeat(chars)))));
    }

    static SimAnalyzer.Settings limits(long rpm, long tpm) {
        return new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, 0, 0, Duration.ofSeconds(1), rpm, tpm, 1_000, 1, EnforcedLimit.Window.SECOND);
    }

    /** Remembers what a client would read in the headers. */
    static final class Headers implements RateLimitObserver {
        final List<RateLimitSnapshot> snapshots = new CopyOnWriteArrayList<>();
        final List<Duration> retryAfters = new CopyOnWriteArrayList<>();

        @Override
        public void observed(String provider, RateLimitSnapshot snapshot) {
            snapshots.add(snapshot);
        }

        @Override
        public void rateLimited(String provider, Duration retryAfter) {
            retryAfters.add(retryAfter);
        }
    }

    @Test
    void aMinutesRequestLimitIsEnforcedPerSecondWith429AndRetryAfter() {
        Headers headers = new Headers();
        SimAnalyzer sim = new SimAnalyzer(limits(600, 0), headers); // 10 a second
        int ok = 0;
        AnalyzerException refusal = null;
        long started = System.nanoTime();
        for (int i = 0; i < 30; i++) {
            try {
                sim.analyze(request("m" + i, 400));
                ok++;
            } catch (AnalyzerException e) {
                refusal = e;
            }
        }
        long refilled = (System.nanoTime() - started) / 100_000_000; // one more call every 100 ms
        assertThat(ok).as("a burst gets one second's allowance, not the minute's").isBetween(10, 10 + (int) refilled + 1);
        assertThat(sim.stats().refused()).isEqualTo(30 - ok);
        assertThat(refusal.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(refusal.getMessage()).contains("429", "rate_limit_exceeded", "requests per min (RPM)", "Please try again in");
        assertThat(refusal.failure().retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMillis(100));
        assertThat(headers.retryAfters).hasSize(30 - ok);
        RateLimitSnapshot last = headers.snapshots.getLast();
        assertThat(last.requestsLimit()).isEqualTo(600);
        assertThat(last.requestsRemaining()).isBetween(600L - ok, 600L - ok + refilled + 1); // the minute's view
        assertThat(last.requestsReset()).isPositive();
    }

    @Test
    void aSlidingWindowLetsAMinutesAllowanceGoInOneBurstAndThenRefusesUntilItsFirstCallLeaves() throws Exception {
        Headers headers = new Headers();
        SimAnalyzer sim = new SimAnalyzer(window(EnforcedLimit.Window.SLIDING, 20), headers);
        for (int i = 0; i < 20; i++) sim.analyze(request("m" + i, 400));
        assertThat(headers.snapshots.getLast().requestsRemaining()).isZero();
        assertThatThrownBy(() -> sim.analyze(request("late", 400))).isInstanceOf(AnalyzerException.class)
                .satisfies(e -> assertThat(((AnalyzerException) e).failure().retryAfter())
                        .isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60)));
        assertThat(headers.snapshots.getLast().requestsReset()).isBetween(Duration.ofSeconds(50), Duration.ofSeconds(60));
    }

    @Test
    void aTokenBucketLetsAMinutesAllowanceGoInOneBurstAndRefillsAtTheMinutesRate() throws Exception {
        Headers headers = new Headers();
        SimAnalyzer sim = new SimAnalyzer(window(EnforcedLimit.Window.BUCKET, 20), headers); // one more every 3 s
        for (int i = 0; i < 20; i++) sim.analyze(request("m" + i, 400));
        assertThatThrownBy(() -> sim.analyze(request("late", 400))).isInstanceOf(AnalyzerException.class)
                .satisfies(e -> assertThat(((AnalyzerException) e).failure().retryAfter())
                        .isBetween(Duration.ofMillis(2_000), Duration.ofSeconds(3)));
        assertThat(headers.snapshots.getLast().requestsRemaining()).isZero();
    }

    static SimAnalyzer.Settings window(EnforcedLimit.Window window, long rpm) {
        return new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, 0, 0, Duration.ofSeconds(1), rpm, 0, 1_000, 1, window);
    }

    @Test
    void aCallIsChargedItsInputAndTheOutputItProduces() throws Exception {
        Headers headers = new Headers();
        SimAnalyzer sim = new SimAnalyzer(limits(0, 60_000), headers); // 1,000 tokens a second
        Analyzer.Result result = sim.analyze(request("a", 1_600)); // 400 in, 220 produced

        assertThat(result.usage().inputTokens()).isEqualTo(400);
        assertThat(result.usage().outputTokens()).isEqualTo(220);
        assertThat(headers.snapshots.getLast().tokensRemaining()).isBetween(59_380L, 59_480L); // 620 used, refilling at 1,000/s
        assertThatThrownBy(() -> sim.analyze(request("b", 4_000))) // 1,000 + 250 > what is left this second
                .isInstanceOf(AnalyzerException.class).hasMessageContaining("tokens per min (TPM)");
    }

    @Test
    void aHungCallFailsAsATimeoutAfterTheTimeout() {
        SimAnalyzer sim = new SimAnalyzer(new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, 0, 1.0,
                Duration.ofMillis(30), 0, 0, 1_000, 1, EnforcedLimit.Window.SECOND));
        long started = System.nanoTime();
        assertThatThrownBy(() -> sim.analyze(request("h", 400)))
                .isInstanceOf(AnalyzerException.class).hasMessageContaining("timed out");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(30));
        assertThat(sim.stats().hangs()).isEqualTo(1);
        assertThat(sim.stats().billed()).isEmpty();
    }

    @Test
    void latencyIsLognormalWithTheConfiguredMean() throws Exception {
        SimAnalyzer sim = new SimAnalyzer(new SimAnalyzer.Settings(Duration.ofMillis(2), Duration.ofMillis(1), 0, 0,
                Duration.ofSeconds(1), 0, 0, 1_000, 3, EnforcedLimit.Window.SECOND));
        long started = System.nanoTime();
        for (int i = 0; i < 200; i++) sim.analyze(request("m" + i, 400 + i));
        double meanMillis = (System.nanoTime() - started) / 1e6 / 200;
        assertThat(meanMillis).isGreaterThan(1.6); // a generous bound: sleeping only adds
    }

    @Test
    void theSameTranscriptMeetsTheSameFaultsAndSuccessesAreBilledOnce() throws Exception {
        SimAnalyzer.Settings faulty = new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, 0.5, 0,
                Duration.ofSeconds(1), 0, 0, 1_000, 9, EnforcedLimit.Window.SECOND);
        SimAnalyzer a = new SimAnalyzer(faulty);
        SimAnalyzer b = new SimAnalyzer(faulty);
        for (int i = 0; i < 40; i++) {
            boolean failedA = fails(a, request("a" + i, 500 + i));
            boolean failedB = fails(b, request("b" + i, 500 + i));
            assertThat(failedA).isEqualTo(failedB);
        }
        assertThat(a.stats().errors()).isBetween(5L, 35L);
        assertThat(a.stats().billedTwice()).isZero();
    }

    private static boolean fails(SimAnalyzer sim, Analyzer.Request request) {
        try {
            sim.analyze(request);
            return false;
        } catch (AnalyzerException e) {
            return true;
        }
    }

    @Test
    void itsMinutesSayTheLanguageAndTemplateAsked() throws Exception {
        SimAnalyzer sim = new SimAnalyzer(limits(0, 0), new Headers());
        var minutes = sim.analyze(request("m", 400).withStyle(new io.minutes.core.style.Style("fr", "en",
                io.minutes.core.style.Templates.RETROSPECTIVE, false))).analysis();
        assertThat(minutes.language()).isEqualTo("fr");
        assertThat(minutes.template()).isEqualTo("retrospective");
    }
}

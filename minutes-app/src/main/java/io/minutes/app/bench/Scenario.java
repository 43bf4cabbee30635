package io.minutes.app.bench;

import io.minutes.providers.sim.EnforcedLimit.Window;

import java.time.Duration;
import java.util.List;

/**
 * One situation {@code minutes bench} measures: {@code meetings} transcripts of {@code minTokens} to
 * {@code maxTokens} input tokens against a sim provider enforcing {@code serverRpm} / {@code serverTpm}
 * (0: no limit) over {@code window}, which the client is told of or not; both schedulers run
 * {@code concurrency} calls at most. {@code smallBatch} > 0 makes it the fairness scenario: a batch of
 * that many meetings submitted behind the big one.
 */
public record Scenario(String name, String description, int meetings, int smallBatch, long minTokens, long maxTokens,
                       long serverRpm, long serverTpm, Window window, boolean clientKnowsLimits, int concurrency,
                       Duration latencyMean, Duration latencySd, double errorRate, double hangRate, Duration timeout) {

    /** 500 and 15,000 words of the bench's transcripts, in the sim's tokens (4 characters each). */
    static final long TOKENS_OF_500_WORDS = 640;
    static final long TOKENS_OF_15000_WORDS = 19_200;

    /** The same situation with at most {@code slots} calls in flight. */
    Scenario withConcurrency(int slots) {
        return new Scenario(name, description, meetings, smallBatch, minTokens, maxTokens, serverRpm, serverTpm, window,
                clientKnowsLimits, slots, latencyMean, latencySd, errorRate, hangRate, timeout);
    }

    public boolean fairness() {
        return smallBatch > 0;
    }

    /**
     * The scenarios, each lasting tens of seconds so that start-up is not the story (issue 19's table,
     * scaled). {@code quick} runs the same situations on a few dozen meetings with short calls: start-up
     * dominates there, so its efficiencies are not comparable with the full bench's.
     */
    public static List<Scenario> all(boolean quick) {
        Duration mean = Duration.ofMillis(quick ? 150 : 1_500);
        Duration sd = Duration.ofMillis(quick ? 50 : 500);
        Duration timeout = Duration.ofMillis(quick ? 600 : 5_000);
        int q = quick ? 10 : 1; // quick: a tenth of the meetings, the same limits: rarely binding
        return List.of(
                new Scenario("sliding-window", "1,200 RPM over a 60 s sliding window (a minute's burst allowed); limits told",
                        600 / q, 0, 400, 600, 1_200, 0, Window.SLIDING, true, 20, mean, sd, 0, 0, timeout),
                new Scenario("quantised", "600 RPM enforced as 10 a second (a bucket of one second's allowance); limits told",
                        300 / q, 0, 400, 600, 600, 0, Window.SECOND, true, 20, mean, sd, 0, 0, timeout),
                new Scenario("token-bucket", "240 RPM as a bucket of the minute's allowance refilled at 4 a second; limits told",
                        340 / q, 0, 400, 600, 240, 0, Window.BUCKET, true, 40, mean, sd, 0, 0, timeout),
                new Scenario("tpm-bound", "600k TPM (token bucket) binds; transcripts of 500-15,000 words; limits told",
                        80 / q, 0, TOKENS_OF_500_WORDS, TOKENS_OF_15000_WORDS, 0, 600_000, Window.BUCKET, true, 10,
                        Duration.ofMillis(quick ? 100 : 1_000), Duration.ofMillis(quick ? 30 : 300), 0, 0, timeout),
                new Scenario("unknown-limits", "600 RPM over a 60 s sliding window; the client is not told",
                        600 / q, 0, 400, 600, 600, 0, Window.SLIDING, false, 20, mean, sd, 0, 0, timeout),
                new Scenario("faults", "10% transient errors, 1% hangs until a timeout, 1,200 RPM sliding; limits told",
                        200 / q, 0, 400, 600, 1_200, 0, Window.SLIDING, true, 5,
                        Duration.ofMillis(quick ? 50 : 500), Duration.ofMillis(quick ? 20 : 200), 0.10, 0.01,
                        Duration.ofMillis(quick ? 300 : 3_000)),
                new Scenario("fairness", "a 5-meeting batch submitted behind a " + (quick ? 150 : 2_000)
                        + "-meeting one, vs the 5 alone (not against a floor)",
                        quick ? 150 : 2_000, 5, 400, 600, 6_000, 0, Window.SECOND, true, 20,
                        Duration.ofMillis(quick ? 100 : 500), Duration.ofMillis(quick ? 40 : 200), 0, 0, timeout));
    }
}

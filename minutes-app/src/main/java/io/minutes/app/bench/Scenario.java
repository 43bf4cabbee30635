package io.minutes.app.bench;

import java.time.Duration;
import java.util.List;

/**
 * One situation {@code minutes bench} measures: {@code meetings} transcripts of {@code minTokens} to
 * {@code maxTokens} input tokens against a sim provider enforcing {@code serverRpm} / {@code serverTpm}
 * (0: no limit), which the client is told of or not. {@code smallBatch} > 0 makes it the fairness
 * scenario: a batch of that many meetings submitted behind the big one.
 */
public record Scenario(String name, String description, int meetings, int smallBatch, long minTokens, long maxTokens,
                       long serverRpm, long serverTpm, boolean clientKnowsLimits, Duration latencyMean,
                       Duration latencySd, double errorRate, double hangRate, Duration timeout) {

    public boolean fairness() {
        return smallBatch > 0;
    }

    /**
     * The scenarios, scaled so the whole bench takes a few minutes: a 1,200 RPM limit is 20 calls a
     * second, calls take 0.5 s on average. {@code quick} runs the same situations smaller and faster.
     */
    public static List<Scenario> all(boolean quick) {
        Duration mean = Duration.ofMillis(quick ? 100 : 500);
        Duration sd = Duration.ofMillis(quick ? 40 : 200);
        Duration timeout = Duration.ofMillis(quick ? 500 : 3_000);
        int n = quick ? 30 : 300;
        return List.of(
                new Scenario("rpm-bound", "requests per minute bind; limits configured",
                        quick ? n : 600, 0, 400, 600, 1_200, 0, true, mean, sd, 0, 0, timeout),
                new Scenario("tpm-bound", "tokens per minute bind, transcripts of 1k-8k tokens; limits configured",
                        quick ? 15 : 180, 0, 1_000, 8_000, 6_000, 1_800_000, true,
                        mean, sd, 0, 0, timeout),
                new Scenario("faults", "10% transient errors, 1% hangs until a timeout; limits configured",
                        quick ? 30 : 200, 0, 400, 600, 1_200, 0, true, mean, sd, 0.10, 0.01, timeout),
                new Scenario("unknown-limits", "the provider enforces 1,200 RPM; the client is not told",
                        n, 0, 400, 600, 1_200, 0, false, mean, sd, 0, 0, timeout),
                new Scenario("fairness", "a 5-meeting batch submitted behind a " + (quick ? 150 : 2_000)
                        + "-meeting one, vs the 5 alone",
                        quick ? 150 : 2_000, 5, 400, 600, 6_000, 0, true, mean, sd, 0, 0, timeout));
    }
}

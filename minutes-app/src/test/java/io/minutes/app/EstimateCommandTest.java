package io.minutes.app;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.engine.Estimator;
import io.minutes.core.engine.RateLimits;
import io.minutes.core.port.BatchStore.NewMeeting;
import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.providers.sim.SimAnalyzer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EstimateCommandTest {
    @TempDir
    Path work;

    static NewMeeting meeting(int chars) {
        return NewMeeting.ready("m.txt", "m", "h", new Transcript("txt", List.of(new Segment("A", 0.0, 1.0, "x".repeat(chars)))));
    }

    @Test
    void theSlowestLimitSetsTheTime() {
        SimAnalyzer sim = new SimAnalyzer(new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, 0, 0, SimAnalyzer.Settings.DEFAULT_TIMEOUT, 0, 0,
                SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, 1, EnforcedLimit.Window.SECOND));
        List<NewMeeting> meetings = List.of(meeting(4_000), meeting(8_000), NewMeeting.skipped("s.txt", "s", "empty"));

        // 1,000 + 2,000 input tokens, 2 x 1,000 output reserved
        Estimator.Estimate e = new Estimator(sim, null, null).estimate(meetings, null, true, new RateLimits(60, 60_000, 0, 0));

        assertThat(e.meetings()).isEqualTo(2);
        assertThat(e.notSent()).isEqualTo(1);
        assertThat(e.inputTokens()).isEqualTo(3_000);
        assertThat(e.maxOutputTokens()).isEqualTo(2_000);
        assertThat(e.seconds()).isCloseTo(5.0, within(1e-9)); // 5,000 tokens at 1,000 a second; 2 requests take 2 s
        assertThat(e.maxCostUsd()).isCloseTo(3_000 * SimAnalyzer.USD_PER_INPUT_TOKEN + 2_000 * SimAnalyzer.USD_PER_OUTPUT_TOKEN,
                within(1e-12));
    }

    @Test
    void withoutLimitsTheTimeIsNotKnownAndLocalCostsNothing() {
        Estimator.Estimate e = new Estimator(new LocalAnalyzer(), null, null).estimate(List.of(meeting(4_000)), null, true, RateLimits.NONE);
        assertThat(e.inputTokens()).isZero();
        assertThat(e.seconds()).isNull();
    }

    @Test
    void printsTokensCostAndTimeForAFolder() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("a.txt"), TestTranscripts.text(1));
        Files.writeString(in.resolve("b.txt"), TestTranscripts.text(2));
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));

        int exit = cli.execute("estimate", in.toString(), "--provider", "sim", "--rpm", "1",
                "--tpm", "1000000", "--db", work.resolve("none-yet.db").toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("2 to send", "input tokens", "cost", "2.0 min at least");
        assertThat(work.resolve("none-yet.db")).as("estimating creates no store").doesNotExist();
    }
}

package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@code minutes run} tells on the terminal and in its outputs, as a user reads them. */
class RunTerminalTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void skippedReasonsReachTheTerminalGroupedWithTheHintAndTheOutputsCarryTheEncodingWarningUnderPlainNames() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(Path.of(System.getProperty("minutes.root"), "samples", "GMT20240124-202901_Recording.transcript.vtt"),
                in.resolve("GMT20240124-202901_Recording.transcript.vtt"));
        Files.write(in.resolve("cafe-review.txt"), ("Renée: We decided the café opens in März, déjà vu.\n" + TestTranscripts.text(3))
                .getBytes(Charset.forName("windows-1252")));
        for (int i = 0; i < 5; i++) Files.writeString(in.resolve("short-" + i + ".txt"), "Ann: Hi.\n");

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).contains("skipped 5 meeting(s), too short to make minutes of: short-0.txt, short-1.txt, short-2.txt and 2 more",
                "--min-transcript-chars N");
        assertThat(run.stdout().strip().lines().reduce((a, b) -> b).orElseThrow())
                .contains("2 completed, 0 failed, 5 skipped of 7", "Minutes in out/", ".md").doesNotEndWith("batch.json");
        assertThat(work.resolve("out/GMT20240124-202901_Recording.md")).as("no .transcript left in the name").exists();
        String warning = "read as windows-1252";
        assertThat(Files.readString(work.resolve("out/cafe-review.md"))).contains(warning);
        assertThat(JSON.readTree(work.resolve("out/cafe-review.json").toFile()).path("warnings").toString()).contains(warning);
        JsonNode batch = JSON.readTree(work.resolve("out/batch.json").toFile());
        assertThat(batch.path("items").get(1).path("warnings").toString()).as("cafe-review.txt, after GMT... in path order").contains(warning);
        assertThat(batch.path("items").get(0).has("warnings")).isFalse();
    }

    @Test
    void withJsonAndStdoutRedirectedProgressAndSkipsStillReachStderr() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 12);
        Files.writeString(work.resolve("in/empty.txt"), "Ann: Hi.\n");

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--json",
                "--provider", "sim", "--sim-latency-ms", "50", "--concurrency", "2");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(JSON.readTree(run.stdout()).path("completed").asInt()).as("stdout is only batch.json").isEqualTo(12);
        assertThat(run.stderr()).contains("13/13 done (12 completed, 0 failed, 1 skipped, 0 running)", "skipped: empty.txt");
    }
}

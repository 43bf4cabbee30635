package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.providers.emulator.OpenAiBatchEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code minutes run --lane auto --deadline}, a real process over real HTTP against the OpenAI emulator: with a
 * batch latency the planner can see will miss the deadline, every meeting runs realtime in time; with one it can
 * meet, the batch lane takes them. The emulator's own counts say which API answered.
 */
class AutoLaneRunTest {
    private static final int MEETINGS = 12;

    @TempDir
    Path work;

    private MinutesProcess.Finished run(OpenAiBatchEmulator openai, String out, String... extra) throws Exception {
        return runOn(openai, out, out + ".db", "in", extra);
    }

    private MinutesProcess.Finished runOn(OpenAiBatchEmulator openai, String out, String db, String in, String... extra)
            throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", in, "--out", out, "--db", db,
                "--provider", "openai", "--base-url", openai.baseUrl(), "--model", "gpt-4o-mini", "--lane", "auto",
                "--deadline", "2h", "--batch-poll-interval", "250ms"));
        args.addAll(java.util.List.of(extra));
        return MinutesProcess.start(work, Map.of("OPENAI_API_KEY", OpenAiBatchEmulator.KEY), args.toArray(String[]::new)).await(180);
    }

    private JsonNode batchJson(String out) throws Exception {
        return new ObjectMapper().readTree(Files.readString(work.resolve(out).resolve("batch.json")));
    }

    @Test
    void aBatchLatencyThatWouldMissTheDeadlineRunsRealtimeAndOneThatFitsAssumedOrMeasuredTakesTheBatchLane() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        Files.createDirectories(work.resolve("in2"));
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            openai.validating(Duration.ofMillis(200)).running(Duration.ofMillis(800)).finalizing(Duration.ofMillis(200));

            // OpenAI's assumed p95 is its 24 h window: a provider batch cannot be back within 2 h
            MinutesProcess.Finished slow = run(openai, "slow");
            assertThat(slow.exitCode()).as(slow.stderr()).isZero();
            assertThat(slow.stderr() + slow.stdout()).contains("Lanes: 0 batch, " + MEETINGS + " realtime").contains("p95 24 h");
            assertThat(batchJson("slow").get("items")).hasSize(MEETINGS)
                    .allSatisfy(item -> assertThat(item.get("lane").asText()).isEqualTo("realtime"));
            assertThat(openai.batchesCreated()).as("no provider batch").isZero();
            assertThat(openai.realtimeAnswered()).isEqualTo(MEETINGS);

            // seen to take seconds: the batch lane fits, at half the price
            MinutesProcess.Finished fast = run(openai, "fast", "--batch-latency-assumed", "30s");
            assertThat(fast.exitCode()).as(fast.stderr()).isZero();
            assertThat(fast.stderr() + fast.stdout()).contains("Lanes: " + MEETINGS + " batch, 0 realtime");
            JsonNode batch = batchJson("fast");
            assertThat(batch.get("items")).hasSize(MEETINGS)
                    .allSatisfy(item -> assertThat(item.get("lane").asText()).isEqualTo("batch"));
            assertThat(openai.batchesCreated()).isEqualTo(1);
            assertThat(openai.realtimeAnswered()).as("nothing more through the realtime API").isEqualTo(MEETINGS);
            double list = batch.get("receipt").get("list_usd").asDouble();
            assertThat(batch.get("receipt").get("paid_usd").asDouble()).isCloseTo(list / 2, org.assertj.core.data.Offset.offset(list * 1e-6));

            // the store has now seen this provider's batches take seconds: without the assumption, its p95 decides
            for (int i = 0; i < MEETINGS; i++) {
                Files.writeString(work.resolve("in2").resolve(String.format("later-%04d.txt", i)), TestTranscripts.text(1_000 + i));
            }
            MinutesProcess.Finished measured = runOn(openai, "measured", "fast.db", "in2");
            assertThat(measured.exitCode()).as(measured.stderr()).isZero();
            assertThat(measured.stderr() + measured.stdout()).contains("Lanes: " + MEETINGS + " batch, 0 realtime")
                    .doesNotContain("(assumed)");
            assertThat(openai.batchesCreated()).isEqualTo(2);
        }
    }
}

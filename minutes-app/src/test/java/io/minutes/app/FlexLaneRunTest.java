package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.providers.emulator.AnthropicBatchEmulator;
import io.minutes.providers.emulator.OpenAiBatchEmulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code minutes run --lane flex}, a real process over real HTTP against the OpenAI emulator's flex tier (429
 * "resource unavailable" for capacity, {@code service_tier} echoed): calls refused for capacity wait and are answered
 * in flex, at half the list price, never failing a meeting; when the deadline leaves no time to wait, the meeting runs
 * realtime at the list price; a provider without flex runs realtime and says why. The emulator's counts say which
 * tier answered.
 */
class FlexLaneRunTest {
    private static final int MEETINGS = 8;
    /** A model OpenAI takes flex calls for. */
    private static final String FLEX_MODEL = "o4-mini";

    @TempDir
    Path work;

    private MinutesProcess.Finished run(String provider, String baseUrl, Map<String, String> env, String out, String... extra)
            throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "in", "--out", out, "--db", out + ".db", "--provider", provider,
                "--base-url", baseUrl, "--lane", "flex"));
        args.addAll(List.of(extra));
        return MinutesProcess.start(work, env, args.toArray(String[]::new)).await(180);
    }

    private MinutesProcess.Finished openAi(OpenAiBatchEmulator openai, String out, String... extra) throws Exception {
        return run("openai", openai.baseUrl(), Map.of("OPENAI_API_KEY", OpenAiBatchEmulator.KEY), out, extra);
    }

    private JsonNode batchJson(String out) throws Exception {
        return new ObjectMapper().readTree(Files.readString(work.resolve(out).resolve("batch.json")));
    }

    @Test
    void flexCallsRefusedForCapacityWaitAndAreAnsweredInFlexAtHalfPriceWithoutUsingAnAttempt() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            openai.flexRefuseNext(3);

            // one attempt each: a refusal that counted as one would fail its meeting
            MinutesProcess.Finished run = openAi(openai, "out", "--model", FLEX_MODEL, "--max-attempts", "1");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr() + run.stdout()).contains("Lanes: 0 batch, " + MEETINGS + " flex, 0 realtime");
            JsonNode batch = batchJson("out");
            assertThat(batch.get("items")).hasSize(MEETINGS).allSatisfy(item -> {
                assertThat(item.get("status").asText()).isEqualTo("completed");
                assertThat(item.get("lane").asText()).isEqualTo("flex");
            });
            assertThat(openai.flexRefused()).isEqualTo(3);
            assertThat(openai.flexAnswered()).as("every meeting answered with service_tier flex").isEqualTo(MEETINGS);
            assertThat(openai.realtimeAnswered()).as("nothing answered outside flex").isEqualTo(MEETINGS);
            JsonNode receipt = batch.get("receipt");
            double list = receipt.get("list_usd").asDouble();
            assertThat(list).isPositive();
            assertThat(receipt.get("paid_usd").asDouble()).isCloseTo(list / 2, within(list * 1e-9));
            assertThat(receipt.get("saved_usd").asDouble()).isCloseTo(list / 2, within(list * 1e-9));
            assertThat(batch.get("cost_usd").asDouble()).isCloseTo(list / 2, within(list * 1e-9));
        }
    }

    @Test
    void whenTheDeadlineLeavesNoTimeToWaitForFlexCapacityTheMeetingsRunRealtimeAtTheListPrice() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            // no flex capacity, and the provider asks to wait past the batch's cut-over (deadline 30 min, buffer 1 min)
            openai.flexRefusedShare(1.0).flexRetryAfter(Duration.ofMinutes(40));

            MinutesProcess.Finished run = openAi(openai, "out", "--model", FLEX_MODEL, "--deadline", "30m",
                    "--deadline-buffer", "1m", "--max-attempts", "1");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr() + run.stdout()).as("planned flex").contains("Lanes: 0 batch, " + MEETINGS + " flex, 0 realtime");
            JsonNode batch = batchJson("out");
            assertThat(batch.get("items")).hasSize(MEETINGS).allSatisfy(item -> {
                assertThat(item.get("status").asText()).isEqualTo("completed");
                assertThat(item.get("lane").asText()).as("the lane that produced its minutes").isEqualTo("realtime");
            });
            assertThat(openai.flexRefused()).as("each meeting tried flex once").isEqualTo(MEETINGS);
            assertThat(openai.flexAnswered()).isZero();
            assertThat(openai.realtimeAnswered()).isEqualTo(MEETINGS);
            JsonNode receipt = batch.get("receipt");
            assertThat(receipt.get("paid_usd").asDouble()).isPositive()
                    .isCloseTo(receipt.get("list_usd").asDouble(), within(1e-12));
            assertThat(receipt.get("saved_usd").asDouble()).isCloseTo(0.0, within(1e-12));
        }
    }

    @Test
    void aModelWithoutFlexRunsRealtimeSayingWhy() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 2);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            MinutesProcess.Finished run = openAi(openai, "out", "--model", "gpt-4o-mini");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr() + run.stdout()).contains("Lanes: 0 batch, 2 realtime")
                    .contains("openai does not take flex for this model: realtime");
            assertThat(batchJson("out").get("items")).allSatisfy(item -> assertThat(item.get("lane").asText()).isEqualTo("realtime"));
            assertThat(openai.flexAnswered() + openai.flexRefused()).as("no flex call sent").isZero();
        }
    }

    @Test
    void anthropicHasNoFlexTierSoItsMeetingsRunRealtimeSayingWhy() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 2);
        try (AnthropicBatchEmulator anthropic = new AnthropicBatchEmulator()) {
            MinutesProcess.Finished run = run("anthropic", anthropic.baseUrl(),
                    Map.of("ANTHROPIC_API_KEY", AnthropicBatchEmulator.KEY), "out");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr() + run.stdout()).contains("Lanes: 0 batch, 2 realtime")
                    .contains("anthropic does not take flex for this model: realtime");
            JsonNode batch = batchJson("out");
            assertThat(batch.get("items")).allSatisfy(item -> {
                assertThat(item.get("status").asText()).isEqualTo("completed");
                assertThat(item.get("lane").asText()).isEqualTo("realtime");
            });
            assertThat(batch.get("receipt").get("saved_usd").asDouble()).isCloseTo(0.0, within(1e-12));
        }
    }
}

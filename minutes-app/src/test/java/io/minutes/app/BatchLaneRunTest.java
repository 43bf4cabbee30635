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
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code minutes run --lane batch}, a real process, over real HTTP against the OpenAI Files + Batch API
 * emulator (1,000 meetings), and against the Anthropic Message Batches emulator: every meeting is answered once by
 * one provider batch, and the receipt is half the list price.
 */
class BatchLaneRunTest {
    private static final int MEETINGS = 1_000;

    @TempDir
    Path work;

    @Test
    void runLaneBatchCompletesEveryMeetingOnceThroughOneProviderBatchAtHalfTheListPrice() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            openai.validating(Duration.ofMillis(300)).running(Duration.ofSeconds(2)).finalizing(Duration.ofMillis(300));

            MinutesProcess.Finished run = MinutesProcess.start(work, Map.of("OPENAI_API_KEY", OpenAiBatchEmulator.KEY),
                    "run", "in", "--out", "out", "--db", "m.db", "--provider", "openai", "--base-url", openai.baseUrl(),
                    "--model", "gpt-4o-mini", "--lane", "batch", "--batch-poll-interval", "250ms", "--json").await(180);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            JsonNode batch = new ObjectMapper().readTree(Files.readString(work.resolve("out/batch.json")));
            assertThat(batch.get("completed").asInt()).as(run.stderr()).isEqualTo(MEETINGS);
            assertThat(batch.get("items")).hasSize(MEETINGS).allSatisfy(item -> {
                assertThat(item.get("status").asText()).isEqualTo("completed");
                assertThat(item.get("lane").asText()).isEqualTo("batch");
            });
            JsonNode receipt = batch.get("receipt");
            double list = receipt.get("list_usd").asDouble();
            double paid = receipt.get("paid_usd").asDouble();
            assertThat(list).isPositive();
            assertThat(paid).as("paid at the batch price").isCloseTo(list / 2, within(list * 1e-6));
            assertThat(receipt.get("saved_usd").asDouble()).isCloseTo(list - paid, within(1e-12));
            assertThat(paid).isCloseTo(batch.get("cost_usd").asDouble(), within(1e-9));

            assertThat(openai.batchesCreated()).as("one provider batch holds them all").isEqualTo(1);
            assertThat(openai.realtimeAnswered()).as("nothing went through the realtime API").isZero();
            Map<String, Integer> answered = openai.answeredPerCustomId();
            System.out.println("BatchLaneRunTest: " + MEETINGS + " meetings, " + openai.batchesCreated()
                    + " provider batch, receipt list $" + list + " paid $" + paid);
            assertThat(answered).as("every meeting answered once, by the emulator's own count").hasSize(MEETINGS)
                    .allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
        }
    }

    @Test
    void runLaneBatchWithAnthropicCompletesEveryMeetingOnceThroughOneMessageBatchAtHalfTheListPrice() throws Exception {
        int meetings = 120;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        try (AnthropicBatchEmulator anthropic = new AnthropicBatchEmulator()) {
            anthropic.running(Duration.ofSeconds(1));

            MinutesProcess.Finished run = MinutesProcess.start(work, Map.of("ANTHROPIC_API_KEY", AnthropicBatchEmulator.KEY),
                    "run", "in", "--out", "out", "--db", "m.db", "--provider", "anthropic", "--base-url", anthropic.baseUrl(),
                    "--model", "claude-haiku-4-5", "--lane", "batch", "--batch-poll-interval", "250ms", "--json").await(180);

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            JsonNode batch = new ObjectMapper().readTree(Files.readString(work.resolve("out/batch.json")));
            assertThat(batch.get("completed").asInt()).as(run.stderr()).isEqualTo(meetings);
            assertThat(batch.get("items")).hasSize(meetings).allSatisfy(item -> {
                assertThat(item.get("status").asText()).isEqualTo("completed");
                assertThat(item.get("lane").asText()).isEqualTo("batch");
            });
            JsonNode receipt = batch.get("receipt");
            double list = receipt.get("list_usd").asDouble();
            double paid = receipt.get("paid_usd").asDouble();
            assertThat(list).isPositive();
            assertThat(paid).as("paid at the batch price").isCloseTo(list / 2, within(list * 1e-6));

            assertThat(anthropic.batchesCreated()).as("one message batch holds them all").isEqualTo(1);
            Map<String, Integer> answered = anthropic.answeredPerCustomId();
            System.out.println("BatchLaneRunTest (anthropic): " + meetings + " meetings, " + anthropic.batchesCreated()
                    + " message batch, receipt list $" + list + " paid $" + paid);
            assertThat(answered).as("nothing went through the realtime API").doesNotContainKey("realtime");
            assertThat(answered).as("every meeting answered once, by the emulator's own count").hasSize(meetings)
                    .allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
            assertThat(anthropic.batchesHeld()).as("deleted after its results were read (retention)").isZero();
        }
    }
}

package io.minutes.providers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.ProviderBatches.Remote;
import io.minutes.core.testing.TestRequests;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.emulator.AnthropicBatchEmulator;
import io.minutes.providers.emulator.BatchEmulator;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class AnthropicBatchesContractTest extends ProviderBatchesContract {

    @Override
    protected BatchEmulator newEmulator() throws Exception {
        return new AnthropicBatchEmulator();
    }

    @Override
    protected String baseUrl() {
        return ((AnthropicBatchEmulator) emulator).baseUrl();
    }

    @Override
    protected String apiKey() {
        return AnthropicBatchEmulator.KEY;
    }

    @Override
    protected String model() {
        return "claude-haiku-4-5";
    }

    @Override
    protected ProviderBatches client(ProviderAnalyzers.Common common) {
        return ProviderAnalyzers.anthropicBatches(common);
    }

    @Override
    protected JsonNode body(JsonNode line) {
        return line.path("params");
    }

    @Override
    protected void assertRealtimeShape(JsonNode body) {
        assertThat(body.path("tool_choice").path("type").asText()).isEqualTo("tool");
        assertThat(body.path("tool_choice").path("name").asText()).isEqualTo("record_minutes");
        assertThat(body.path("tools").path(0).path("input_schema").isObject()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1_000);
    }

    @Override
    protected int held() {
        return ((AnthropicBatchEmulator) emulator).batchesHeld();
    }

    @Test
    void aCustomIdAnthropicWouldRefuseIsRefusedBeforeAnythingIsSent() throws Exception {
        ProviderBatches client = client();

        assertThatThrownBy(() -> client.line("meeting/1", TestRequests.request("m", "T", meeting(""))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'meeting/1'");
        assertThat(emulator.batchesCreated()).isZero();
    }

    @Test
    void aBatchStillRunningIsFoundByTheIntentsTimeAndLineCount() throws Exception {
        emulator().running(java.time.Duration.ofSeconds(20));
        ProviderBatches client = client();
        Instant intent = Instant.now();
        Remote ours = submit(client, "intent-running", lines(client, meetings(2, "")));
        submit(client, "intent-bigger", lines(client, meetings(5, "")));

        Remote found = client(common(null)).find("intent-running", intent, 2).orElseThrow();

        assertThat(found.id()).isEqualTo(ours.id());
        assertThat(found.key()).isEqualTo("intent-running");
    }

    @Test
    void twoRunningBatchesOfTheSameSizeAreNotGuessedBetweenButToldApartByTheirResultsOnceEnded() throws Exception {
        emulator().running(java.time.Duration.ofSeconds(3));
        ProviderBatches client = client();
        Instant intent = Instant.now();
        Remote ours = submit(client, "intent-a", lines(client, meetings(2, "")));
        Remote theirs = submit(client, "intent-b", lines(client, meetings(2, "")));
        ProviderBatches after = client(common(null)); // a new node, knowing only the intents

        io.minutes.core.port.AnalyzerException waiting = org.assertj.core.api.Assertions.catchThrowableOfType(
                io.minutes.core.port.AnalyzerException.class, () -> after.find("intent-a", intent, 2));

        assertThat(waiting).as("two running batches of 2 lines since the intent: no guess").isNotNull();
        assertThat(waiting.failure().isTransient()).as("waits, never fails the meetings").isTrue();
        assertThat(waiting.getMessage()).contains(ours.id(), theirs.id(), "once they have ended");
        ended(client, ours.id());
        ended(client, theirs.id());
        assertThat(after.find("intent-a", intent, 2)).map(Remote::id).contains(ours.id());
        assertThat(after.find("intent-b", intent, 2)).map(Remote::id).contains(theirs.id());
        assertThat(after.find("intent-never-created", intent, 2)).as("both ended with other keys: create").isEmpty();
        assertThat(emulator.batchesCreated()).isEqualTo(2);
    }

    @Test
    void cacheWritesAndReadsCostAnthropicsCacheRatesInABatchLineAndInARealtimeCall() throws Exception {
        ((AnthropicBatchEmulator) emulator()).cacheTokens(50, 200);
        ProviderBatches client = client();
        var requests = meetings(1, "");
        Remote done = ended(client, submit(client, "intent-cache", lines(client, requests)).id());
        var line = (ProviderBatches.LineResult.Answered) results(client, done, requests).getFirst();
        var realtime = ProviderAnalyzers.anthropic(common(null)).analyze(TestRequests.request("m-9", "Review 9", meeting("")));

        // claude-haiku-4-5, per million: 1.00 input, 0.10 cache read, 1.25 cache write, 5.00 output
        java.util.function.ToDoubleFunction<io.minutes.core.domain.Usage> listPrice = u ->
                ((u.inputTokens() - 250) * 1.00 + 50 * 0.10 + 200 * 1.25 + u.outputTokens() * 5.00) / 1e6;

        assertThat(line.result().usage().inputTokens()).as("the input counts the cached tokens too").isGreaterThan(250);
        assertThat(line.listCostUsd()).isCloseTo(listPrice.applyAsDouble(line.result().usage()), within(1e-12));
        assertThat(line.result().usage().costUsd()).as("the batch line at half")
                .isCloseTo(listPrice.applyAsDouble(line.result().usage()) / 2, within(1e-12));
        assertThat(realtime.usage().costUsd()).isCloseTo(listPrice.applyAsDouble(realtime.usage()), within(1e-12));
    }

    @Test
    void aMeetingAnsweredInRealtimeIsCountedBesideTheBatchLines() throws Exception {
        ProviderBatches client = client();
        var requests = meetings(2, "");
        ended(client, submit(client, "intent-mixed", lines(client, requests)).id());

        var realtime = ProviderAnalyzers.anthropic(common(null)).analyze(TestRequests.request("m-9", "Review 9", meeting("")));

        assertThat(realtime.analysis().summary()).contains("Minutes of Review 9");
        assertThat(emulator.answeredPerMeeting()).containsExactlyInAnyOrderEntriesOf(
                java.util.Map.of("Review 1", 1, "Review 2", 1, "Review 9", 1));
    }
}

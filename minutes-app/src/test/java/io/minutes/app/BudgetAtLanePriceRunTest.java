package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * Budgets at the lane's price, a real {@code minutes run} process over real HTTP against the OpenAI Files + Batch
 * API emulator: a budget that holds the batch at the batch price but not at the list price is refused in realtime and
 * completes in a provider batch, spending about the batch price; at a deadline's cut-over the meetings still waiting
 * go realtime, re-priced at the list price, and the budget holds what they then cost.
 */
class BudgetAtLanePriceRunTest {
    @TempDir
    Path work;

    private MinutesProcess.Finished minutes(OpenAiBatchEmulator openai, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--provider", "openai", "--base-url", openai.baseUrl(), "--model", "gpt-4o-mini"));
        return MinutesProcess.start(work, Map.of("OPENAI_API_KEY", OpenAiBatchEmulator.KEY), all.toArray(String[]::new))
                .await(180);
    }

    /** The most the meetings of {@code in} may cost at the list price, as {@code minutes estimate} quotes it. */
    private double listMaxCost(OpenAiBatchEmulator openai, String in) throws Exception {
        MinutesProcess.Finished estimate = minutes(openai, "estimate", in, "--lane", "batch", "--json");
        assertThat(estimate.exitCode()).as(estimate.stderr()).isZero();
        JsonNode quote = new ObjectMapper().readTree(estimate.stdout());
        assertThat(quote.get("plan").get("planned_usd").asDouble()).as("the batch price is half the list price")
                .isCloseTo(quote.get("max_cost_usd").asDouble() / 2, within(1e-9));
        return quote.get("max_cost_usd").asDouble();
    }

    private JsonNode batchJson(String out) throws Exception {
        return new ObjectMapper().readTree(Files.readString(work.resolve(out).resolve("batch.json")));
    }

    @Test
    void aBudgetThatFitsAtTheBatchPriceButNotTheListPriceCompletesInAProviderBatch() throws Exception {
        int meetings = 12;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            openai.validating(Duration.ofMillis(200)).running(Duration.ofSeconds(1)).finalizing(Duration.ofMillis(200));
            double list = listMaxCost(openai, "in");
            String budget = String.format(java.util.Locale.ROOT, "%.6f", list * 0.75);

            MinutesProcess.Finished realtime = minutes(openai, "run", "in", "--out", "rt", "--db", "rt.db", "--budget", budget);
            assertThat(realtime.exitCode()).as("at the list price it does not fit").isNotZero();
            assertThat(realtime.stderr()).contains("passes --budget").doesNotContain("Exception");
            assertThat(openai.realtimeAnswered()).isZero();

            MinutesProcess.Finished batched = minutes(openai, "run", "in", "--out", "out", "--db", "m.db", "--lane", "batch",
                    "--budget", budget, "--batch-poll-interval", "250ms", "--json");

            assertThat(batched.exitCode()).as(batched.stderr()).isZero();
            JsonNode batch = batchJson("out");
            assertThat(batch.get("completed").asInt()).as(batched.stderr()).isEqualTo(meetings);
            assertThat(batch.get("items")).allSatisfy(item -> assertThat(item.get("lane").asText()).isEqualTo("batch"));
            JsonNode receipt = batch.get("receipt");
            double spent = batch.get("cost_usd").asDouble();
            assertThat(spent).as("spent at the batch price").isCloseTo(receipt.get("list_usd").asDouble() / 2,
                    within(receipt.get("list_usd").asDouble() * 1e-6));
            assertThat(spent).isLessThanOrEqualTo(Double.parseDouble(budget));
            assertThat(openai.batchesCreated()).isEqualTo(1);
            assertThat(openai.realtimeAnswered()).as("nothing through the realtime API").isZero();
            assertThat(openai.answeredPerCustomId()).hasSize(meetings).allSatisfy((id, times) -> assertThat(times).isEqualTo(1));
        }
    }

    @Test
    void atTheCutOverTheMeetingsStillWaitingAreRePricedAtTheListPriceInRealtime() throws Exception {
        int meetings = 3;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            // the provider batch would take 10 minutes: the cut-over comes first
            openai.validating(Duration.ofMillis(200)).running(Duration.ofMinutes(10)).finalizing(Duration.ofMillis(200));
            double list = listMaxCost(openai, "in");
            double budget = list * 0.75;

            // one call at a time, 30 s each as the planner counts them: 3 meetings drain in 90 s; the cut-over comes
            // 2 min - 10 s - 90 s = 20 s after the submission, when the provider batch has answered nothing
            MinutesProcess.Finished run = minutes(openai, "run", "in", "--out", "out", "--db", "m.db", "--lane", "batch",
                    "--budget", String.format(java.util.Locale.ROOT, "%.6f", budget), "--deadline", "2m",
                    "--deadline-buffer", "10s", "--batch-latency-assumed", "5s", "--concurrency", "1",
                    "--batch-poll-interval", "250ms", "--json");

            assertThat(run.exitCode()).as(run.stderr()).isZero();
            assertThat(run.stderr() + run.stdout()).contains("Lanes: " + meetings + " batch");
            assertThat(openai.batchesCreated()).as("sent in a provider batch first").isEqualTo(1);
            JsonNode batch = batchJson("out");
            assertThat(batch.get("completed").asInt()).as(run.stderr()).isEqualTo(meetings);
            assertThat(batch.get("items")).allSatisfy(item -> assertThat(item.get("lane").asText())
                    .as("answered in realtime after the cut-over").isEqualTo("realtime"));
            JsonNode receipt = batch.get("receipt");
            double spent = batch.get("cost_usd").asDouble();
            assertThat(spent).as("re-priced: paid at the list price").isCloseTo(receipt.get("list_usd").asDouble(), within(1e-12));
            assertThat(receipt.get("saved_usd").asDouble()).isZero();
            assertThat(spent).as("and held to the budget").isLessThanOrEqualTo(budget);
            assertThat(openai.realtimeAnswered()).isEqualTo(meetings);
            assertThat(openai.answeredPerMeeting()).as("each meeting answered once in all").hasSize(meetings)
                    .allSatisfy((title, times) -> assertThat(times).isEqualTo(1));
        }
    }
}

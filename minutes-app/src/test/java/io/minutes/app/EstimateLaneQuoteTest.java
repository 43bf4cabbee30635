package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** {@code minutes estimate --lane ... --deadline ...} quotes the plan: a lane per meeting, list vs planned price, when done. */
class EstimateLaneQuoteTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;
    Path in;
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    @BeforeEach
    void transcripts() throws Exception {
        in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("a.txt"), TestTranscripts.text(1));
        Files.writeString(in.resolve("b.txt"), TestTranscripts.text(2));
    }

    private int estimate(String... args) {
        CommandLine cli = Main.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("estimate", in.toString(), "--db", work.resolve("none-yet.db").toString()));
        all.addAll(List.of(args));
        return cli.execute(all.toArray(String[]::new));
    }

    private JsonNode json(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--json");
        assertThat(estimate(all.toArray(String[]::new))).as(err.toString()).isZero();
        return JSON.readTree(out.toString());
    }

    @Test
    void autoWithADeadlineAProviderBatchCanMeetQuotesTheBatchLaneAtHalfPrice() throws Exception {
        Instant before = Instant.now();
        JsonNode plan = json("--provider", "anthropic", "--lane", "auto", "--deadline", "8h").get("plan");

        assertThat(plan.get("lanes").get("batch").asInt()).isEqualTo(2);
        assertThat(plan.get("meetings")).extracting(m -> m.get("lane").asText()).containsOnly("batch");
        assertThat(plan.get("list_usd").asDouble()).isPositive();
        assertThat(plan.get("planned_usd").asDouble()).isCloseTo(plan.get("list_usd").asDouble() / 2, within(1e-9));
        assertThat(plan.get("saved_usd").asDouble()).isCloseTo(plan.get("list_usd").asDouble() / 2, within(1e-9));
        // Anthropic's assumed p95 is 1 h; the deadline 8 h from now
        assertThat(Instant.parse(plan.get("expected_finish").asText())).isBetween(before.plus(Duration.ofMinutes(59)),
                Instant.now().plus(Duration.ofMinutes(61)));
        assertThat(Instant.parse(plan.get("cut_over").asText())).isBefore(Instant.parse(plan.get("deadline").asText()));
        assertThat(plan.get("batch_latency_measured").asBoolean()).isFalse();
    }

    @Test
    void aDeadlineOpenAisAssumedBatchLatencyWouldMissFallsBackToRealtimeAndOneItCanMeetTakesTheBatch() throws Exception {
        JsonNode realtime = json("--provider", "openai", "--model", "gpt-4o-mini", "--lane", "auto", "--deadline", "8h").get("plan");
        assertThat(realtime.get("lanes").get("realtime").asInt()).isEqualTo(2);
        assertThat(realtime.get("saved_usd").asDouble()).isZero();
        assertThat(realtime.get("why").asText()).contains("p95 24 h").contains("do not fit");

        out.getBuffer().setLength(0);
        JsonNode fast = json("--provider", "openai", "--model", "gpt-4o-mini", "--lane", "auto", "--deadline", "8h",
                "--batch-latency-assumed", "30m").get("plan");
        assertThat(fast.get("lanes").get("batch").asInt()).isEqualTo(2);
    }

    @Test
    void flexIsQuotedAtHalfPriceForAModelOpenAiTakesItForAndAutoTakesItWhenTheBatchCannotMeetTheDeadline() throws Exception {
        JsonNode flex = json("--provider", "openai", "--model", "o4-mini", "--lane", "flex").get("plan");
        assertThat(flex.get("lanes").get("flex").asInt()).isEqualTo(2);
        assertThat(flex.get("list_usd").asDouble()).isPositive();
        assertThat(flex.get("planned_usd").asDouble()).isCloseTo(flex.get("list_usd").asDouble() / 2, within(1e-9));

        out.getBuffer().setLength(0);
        JsonNode auto = json("--provider", "openai", "--model", "o4-mini", "--lane", "auto", "--deadline", "8h").get("plan");
        assertThat(auto.get("lanes").get("flex").asInt()).as("OpenAI's assumed 24 h batch cannot meet 8 h; flex can").isEqualTo(2);
        assertThat(auto.get("why").asText()).contains("p95 24 h").contains("flex, with realtime from the cut-over");

        out.getBuffer().setLength(0);
        JsonNode priced = json("--provider", "openai", "--model", "gpt-4o-mini", "--lane", "flex",
                "--prices", "flex:gpt-4o-mini=0.03/0.12").get("plan");
        assertThat(priced.get("lanes").get("flex").asInt()).as("a flex: entry offers flex for its model").isEqualTo(2);
        assertThat(priced.get("planned_usd").asDouble()).isCloseTo(priced.get("list_usd").asDouble() / 5, within(1e-9));

        out.getBuffer().setLength(0);
        JsonNode none = json("--provider", "openai", "--model", "gpt-4o-mini", "--lane", "flex").get("plan");
        assertThat(none.get("lanes").get("realtime").asInt()).isEqualTo(2);
        assertThat(none.get("why").asText()).contains("openai does not take flex for this model");
    }

    @Test
    void sensitiveMeetingsStayOutOfTheProviderBatchAndTheTableSaysWhy() {
        assertThat(estimate("--provider", "anthropic", "--lane", "batch", "--tier", "sensitive", "--allow-sensitive", "local")).isZero();

        assertThat(out.toString()).contains("lanes           0 batch, 0 flex, 2 realtime")
                .contains("sensitive: allow-sensitive does not name anthropic").contains("saving          $0.0000 (0%)");
    }

    @Test
    void theQuoteTableShowsLanesPricesAndWhenItIsDone() {
        assertThat(estimate("--provider", "anthropic", "--lane", "auto")).isZero();

        assertThat(out.toString()).contains("lane            auto, no deadline").contains("a.txt").contains("batch")
                .contains("list price").contains("planned price").contains("saving").contains("(50%)").contains("expected by");
    }

    @Test
    void aDeadlineInThePastOrMalformedIsRefusedNamingTheSetting() {
        assertThat(estimate("--provider", "anthropic", "--lane", "auto", "--deadline", "2020-01-01T00:00:00Z")).isEqualTo(2);
        assertThat(err.toString()).contains("setting 'deadline' (--deadline)").contains("not in the future");

        err.getBuffer().setLength(0);
        assertThat(estimate("--provider", "anthropic", "--deadline", "by friday")).isEqualTo(2);
        assertThat(err.toString()).contains("setting 'deadline' (--deadline)").contains("'by friday'").contains("8h");
    }
}

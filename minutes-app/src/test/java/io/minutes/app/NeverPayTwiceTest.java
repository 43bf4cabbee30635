package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must show (issue 9), with {@code minutes run} as a separate process against an OpenAI-compatible
 * server over real HTTP, whose request count proves which runs called the provider: the result
 * cache, each on_duplicate mode, sensitive routing and redaction.
 */
class NeverPayTwiceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-test-dedup";
    private static final String CHAT = "/v1/chat/completions";
    private static WireMockServer server;

    @TempDir
    Path work;

    @BeforeAll
    static void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @BeforeEach
    void setUp() throws Exception {
        server.resetAll();
        ObjectNode minutes = JSON.createObjectNode();
        minutes.put("summary", "The launch moves to March.");
        minutes.putArray("action_items");
        minutes.putArray("decisions").addObject().put("text", "Move the launch to March.").putObject("evidence")
                .put("segment", 0).put("speaker", "Alice").put("quote", "move the launch to March");
        minutes.putArray("open_questions");
        minutes.putArray("topics").add("launch");
        minutes.putArray("participants").add("Alice");
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1764072000L).put("model", "gpt-4o-mini");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", minutes.toString()).putNull("refusal");
        completion.putObject("usage").put("prompt_tokens", 1000).put("completion_tokens", 200).put("total_tokens", 1200);
        server.stubFor(post(CHAT).willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json").withBody(completion.toString())));
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("planning.vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:05.000
                <v Alice>We decided to move the launch to March because the audit is late.

                00:00:05.000 --> 00:00:09.000
                <v Bob>I will send the revised plan to the board by Friday.
                """);
        Files.writeString(in.resolve("standup.txt"), TestTranscripts.text(1));
    }

    private JsonNode run(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", "in", "--out", "out", "--db", "m.db", "--json"));
        if (!List.of(extra).contains("--provider")) {
            args.addAll(List.of("--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini"));
        }
        args.addAll(List.of(extra));
        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isIn(0, 1);
        return JSON.readTree(run.stdout());
    }

    private static int calls() {
        return server.countRequestsMatching(postRequestedFor(urlEqualTo(CHAT)).build()).getCount();
    }

    private static List<String> statuses(JsonNode batch) {
        List<String> s = new ArrayList<>();
        batch.get("items").forEach(i -> s.add(i.get("status").asText()));
        return s;
    }

    @Test
    void freshRerunWithDuplicatesAllowedIsAnsweredFromTheCacheWithoutACall() throws Exception {
        run();
        assertThat(calls()).isEqualTo(2);

        JsonNode again = run("--fresh", "--on-duplicate", "allow_duplicates");

        assertThat(calls()).as("the provider was not called again").isEqualTo(2);
        assertThat(statuses(again)).containsExactly("completed", "completed");
        assertThat(again.get("cost_usd").asDouble()).isZero();
        assertThat(JSON.readTree(work.resolve("out/planning.json").toFile()).get("summary").asText())
                .isEqualTo("The launch moves to March.");
    }

    @Test
    void skipByDefaultPointsToTheEarlierResultWithinAndAcrossBatches() throws Exception {
        Files.copy(work.resolve("in/standup.txt"), work.resolve("in/standup-copy.txt"));
        JsonNode first = run();
        assertThat(calls()).as("the copy in the same batch is not sent: " + first).isEqualTo(2);
        assertThat(statuses(first)).containsExactly("completed", "completed", "skipped");
        assertThat(first.get("items").get(2).get("reason").asText()).startsWith("duplicate of standup-copy.txt");
        assertThat(first.get("items").get(2).get("output").asText()).isEqualTo("standup.json");
        assertThat(Files.readString(work.resolve("out/standup.md"))).as("a duplicate's minutes say whose they are")
                .startsWith("> **Not processed: duplicate of standup-copy.txt");
        assertThat(JSON.readTree(work.resolve("out/standup.json").toFile()).get("note").asText())
                .startsWith("not processed: duplicate of standup-copy.txt");
        assertThat(first.get("status").asText()).isEqualTo("completed");

        JsonNode again = run("--fresh");

        assertThat(calls()).isEqualTo(2);
        assertThat(statuses(again)).containsExactly("skipped", "skipped", "skipped");
        assertThat(again.get("items").get(2).get("duplicate_of").asText())
                .isEqualTo(first.get("items").get(2).get("duplicate_of").asText())
                .isEqualTo(again.get("items").get(1).get("duplicate_of").asText());
        assertThat(again.get("items").get(0).get("output").asText()).isEqualTo("planning.json");
        assertThat(JSON.readTree(work.resolve("out/standup.json").toFile()).get("summary").asText())
                .isEqualTo("The launch moves to March.");
    }

    @Test
    void replaceCallsTheProviderAgainAndMarksTheOldResultReplaced() throws Exception {
        run();
        JsonNode replaced = run("--fresh", "--on-duplicate", "replace");
        assertThat(calls()).as("replace reprocesses, whatever the cache holds").isEqualTo(4);
        assertThat(statuses(replaced)).containsExactly("completed", "completed");

        JsonNode third = run("--fresh");
        assertThat(calls()).isEqualTo(4);
        assertThat(statuses(third)).containsExactly("skipped", "skipped");
    }

    @Test
    void onDuplicateReplaceOnTheSameInputsCallsTheProviderAgainInsteadOfBeingSilentlyIgnored() throws Exception {
        JsonNode first = run();
        assertThat(calls()).isEqualTo(2);

        JsonNode replaced = run("--on-duplicate", "replace");
        assertThat(calls()).as("replace is a new ask, not a resume of the finished batch").isEqualTo(4);
        assertThat(statuses(replaced)).containsExactly("completed", "completed");
        assertThat(replaced.get("batch_id").asText()).isNotEqualTo(first.get("batch_id").asText());

        MinutesProcess.Finished again = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), "run", "in", "--out", "out",
                "--db", "m.db", "--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini",
                "--on-duplicate", "replace");
        assertThat(again.exitCode()).as(again.stderr()).isZero();
        assertThat(again.stdout()).contains("finished before; --on-duplicate replace processes them again as a new batch");
        assertThat(calls()).as("asked to replace again, it replaces again").isEqualTo(6);
    }

    @Test
    void switchingProviderOrModelAsksTheNewOneInsteadOfSkippingEveryMeetingAsADuplicate() throws Exception {
        JsonNode local = run("--provider", "local");
        assertThat(statuses(local)).containsExactly("completed", "completed");
        MinutesProcess.Finished estimate = MinutesProcess.run(work, Map.of(), "estimate", "in", "--db", "m.db",
                "--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini");
        assertThat(estimate.stdout()).as("the local minutes are not openai's")
                .contains("2 to send, 0 answered from the result cache, 0 duplicate(s) skipped")
                .doesNotContain("cost            $0.0000");

        JsonNode openai = run();
        assertThat(calls()).as("the provider asked for is called, not shown the local minutes").isEqualTo(2);
        assertThat(statuses(openai)).containsExactly("completed", "completed");
        assertThat(JSON.readTree(work.resolve("out/planning.json").toFile()).get("summary").asText())
                .isEqualTo("The launch moves to March.");

        String[] otherModel = {"--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o"};
        JsonNode bigger = run(otherModel);
        assertThat(calls()).as("another model is another ask: not a resume of the gpt-4o-mini batch").isEqualTo(4);
        assertThat(bigger.get("batch_id").asText()).isNotEqualTo(openai.get("batch_id").asText());
        assertThat(statuses(bigger)).containsExactly("completed", "completed");

        JsonNode resumed = run(otherModel);
        assertThat(resumed.get("batch_id").asText()).as("the same ask resumes its batch").isEqualTo(bigger.get("batch_id").asText());
        assertThat(calls()).isEqualTo(4);
    }

    @Test
    void sensitiveMeetingsFailWithAReasonUnlessTheProviderIsAllowed() throws Exception {
        JsonNode refused = run("--tier", "sensitive");
        assertThat(calls()).isZero();
        assertThat(statuses(refused)).containsExactly("failed", "failed");
        assertThat(refused.get("items").get(0).get("error").get("message").asText())
                .contains("sensitive tier").contains("provider 'openai'").contains("allow-sensitive: command,local");

        JsonNode local = run("--fresh", "--tier", "sensitive", "--provider", "local");
        assertThat(statuses(local)).containsExactly("completed", "completed");

        JsonNode allowed = run("--fresh", "--tier", "sensitive", "--allow-sensitive", "openai,local", "--on-duplicate", "allow_duplicates");
        assertThat(calls()).isEqualTo(2);
        assertThat(statuses(allowed)).containsExactly("completed", "completed");
    }

    @Test
    void redactMasksPersonalDataBeforeTheCallAndRecordsIt() throws Exception {
        Files.writeString(work.resolve("in/planning.vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:05.000
                <v Alice>Send it to alice.smith@example.com, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00.
                """);
        JsonNode redacted = run("--redact");
        assertThat(statuses(redacted)).containsExactly("completed", "completed");
        List<String> bodies = server.findAll(postRequestedFor(urlEqualTo(CHAT))).stream()
                .map(r -> r.getBodyAsString()).toList();
        assertThat(bodies).hasSize(2).noneMatch(b -> b.contains("alice.smith@example.com") || b.contains("4111")
                || b.contains("DE89"));
        assertThat(bodies).anyMatch(b -> b.contains("[EMAIL]") && b.contains("[CARD]") && b.contains("[IBAN]"));
        JsonNode minutes = JSON.readTree(work.resolve("out/planning.json").toFile());
        assertThat(minutes.get("redactions").get("email").asInt()).isEqualTo(1);
        assertThat(minutes.get("redactions").get("card").asInt()).isEqualTo(1);
        assertThat(minutes.get("redactions").get("iban").asInt()).isEqualTo(1);
    }

    @Test
    void aRerunWithABudgetBelowTheFullEstimateIsAcceptedWhenEveryMeetingIsCachedOrADuplicate() throws Exception {
        run();
        assertThat(calls()).isEqualTo(2);
        // one meeting alone may cost up to ~$0.0025 (its input plus 4096 output tokens): $0.001 passes no call at all
        String budget = "0.001";

        JsonNode duplicates = run("--fresh", "--budget", budget);
        JsonNode cached = run("--fresh", "--on-duplicate", "allow_duplicates", "--budget", budget);
        JsonNode again = run("--on-duplicate", "allow_duplicates", "--budget", budget);

        assertThat(statuses(duplicates)).containsExactly("skipped", "skipped");
        assertThat(statuses(cached)).containsExactly("completed", "completed");
        assertThat(again.get("batch_id").asText()).as("the same inputs resume their last batch").isEqualTo(cached.get("batch_id").asText());
        assertThat(calls()).as("no provider call").isEqualTo(2);
        assertThat(cached.get("cost_usd").asDouble()).isZero();

        MinutesProcess.Finished replace = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), "run", "in", "--out", "out",
                "--db", "m.db", "--json", "--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini",
                "--fresh", "--on-duplicate", "replace", "--budget", budget);
        assertThat(replace.exitCode()).as("replace drops the cached answers: both would be sent").isEqualTo(2);
        assertThat(replace.stderr()).contains("for 2 meeting(s) to send");
        assertThat(calls()).isEqualTo(2);
    }

    @Test
    void estimateSaysWhatWouldBeSentAndWhatTheStoreAlreadyHas() throws Exception {
        run();
        String[] common = {"estimate", "in", "--db", "m.db", "--provider", "openai", "--base-url", server.baseUrl() + "/v1",
                "--model", "gpt-4o-mini"};

        MinutesProcess.Finished skip = MinutesProcess.run(work, Map.of(), common);
        List<String> allow = new ArrayList<>(List.of(common));
        allow.addAll(List.of("--on-duplicate", "allow_duplicates"));
        MinutesProcess.Finished cache = MinutesProcess.run(work, Map.of(), allow.toArray(String[]::new));
        Files.writeString(work.resolve("in/new.txt"), TestTranscripts.text(3));
        MinutesProcess.Finished withNew = MinutesProcess.run(work, Map.of(), common);

        assertThat(skip.exitCode()).as(skip.stderr()).isZero();
        assertThat(skip.stdout()).contains("0 to send, 0 answered from the result cache, 2 duplicate(s) skipped (on-duplicate skip)")
                .contains("cost            $0.0000 at most");
        assertThat(cache.stdout()).contains("0 to send, 2 answered from the result cache, 0 duplicate(s) skipped");
        assertThat(withNew.stdout()).contains("1 to send, 0 answered from the result cache, 2 duplicate(s) skipped");
        assertThat(calls()).isEqualTo(2);
    }

    @Test
    void budgetRefusesAnEstimateOverItAndSkipsTheRestOnceSpendingWouldPassIt() throws Exception {
        Files.writeString(work.resolve("in/retro.txt"), TestTranscripts.text(2));
        // each answer costs 5000 x $0.15/M + 200 x $0.60/M = $0.00087; each call reserves up to ~$0.0026
        // (its input plus 4096 output tokens), so $0.0038 lets two calls start and refuses the third
        server.stubFor(post(CHAT).willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                .withBody(server.getStubMappings().getFirst().getResponse().getBody()
                        .replace("\"prompt_tokens\":1000", "\"prompt_tokens\":5000"))));
        List<String> args = List.of("run", "in", "--out", "out", "--db", "m.db", "--json", "--provider", "openai",
                "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini", "--budget", "0.0038", "--concurrency", "1");

        MinutesProcess.Finished refused = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), args.toArray(String[]::new));
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.stderr()).contains("the estimate, $0.0").contains("for 3 meeting(s) to send, passes --budget $0.0038")
                .contains("--allow-over-budget");
        assertThat(calls()).isZero();

        List<String> over = new ArrayList<>(args);
        over.add("--allow-over-budget");
        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), over.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(calls()).isEqualTo(2);
        assertThat(statuses(batch)).containsExactly("completed", "completed", "skipped");
        assertThat(batch.get("items").get(2).get("reason").asText()).startsWith("budget_exhausted: spent $0.0017");
        assertThat(batch.get("status").asText()).isEqualTo("budget_exhausted");
        assertThat(batch.get("cost_usd").asDouble()).isLessThanOrEqualTo(0.0038);
    }
}

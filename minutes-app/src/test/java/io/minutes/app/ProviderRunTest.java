package io.minutes.app;

import io.minutes.app.cli.ExitStatus;
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
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Must show: {@code minutes run --provider openai|anthropic --base-url ... --model M FOLDER} as a
 * user runs it (a separate process) against a server speaking the provider's API over real HTTP.
 */
class ProviderRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-e2e-secret-4242424242";
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
    void reset() throws Exception {
        server.resetAll();
        Path in = Files.createDirectories(work.resolve("in"));
        Files.writeString(in.resolve("a-planning.vtt"), """
                WEBVTT

                00:00:01.000 --> 00:00:05.000
                <v Alice>We decided to move the launch to March because the audit is late.

                00:00:05.000 --> 00:00:09.000
                <v Bob>I will send the revised plan to the board by Friday.
                """);
        Files.writeString(in.resolve("b-standup.txt"), TestTranscripts.text(1));
    }

    static ObjectNode minutes() {
        ObjectNode a = JSON.createObjectNode();
        a.put("summary", "The launch moves to March; Bob sends the revised plan.");
        ObjectNode item = a.putArray("action_items").addObject();
        item.put("description", "Send the revised plan to the board");
        item.put("owner", "Bob");
        item.put("due", "Friday");
        item.putObject("evidence").put("segment", 1).put("speaker", "Bob").put("quote", "I will send the revised plan to the board");
        a.putArray("decisions").addObject().put("text", "Move the launch to March.").putObject("evidence")
                .put("segment", 0).put("speaker", "Alice").put("quote", "move the launch to March");
        a.putArray("open_questions");
        a.putArray("topics").add("launch");
        a.putArray("participants").add("Alice").add("Bob");
        return a;
    }

    @Test
    void openAiCompatibleServer() throws Exception {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-1").put("object", "chat.completion").put("created", 1764072000L).put("model", "gpt-4o-mini");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", minutes().toString()).putNull("refusal");
        completion.putObject("usage").put("prompt_tokens", 1000).put("completion_tokens", 200).put("total_tokens", 1200);
        server.stubFor(post("/v1/chat/completions").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json")
                .withHeader("x-ratelimit-limit-requests", "500").withHeader("x-ratelimit-remaining-requests", "499")
                .withHeader("x-ratelimit-reset-requests", "120ms").withBody(completion.toString())));

        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), "run", "in", "--out", "out",
                "--db", "m.db", "--json", "--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode batch = JSON.readTree(run.stdout());
        assertCompletedWithUsage(batch, (1000 * 0.15 + 200 * 0.60) / 1e6);
        server.verify(2, postRequestedFor(urlEqualTo("/v1/chat/completions")).withHeader("authorization", equalTo("Bearer " + KEY)));
        assertThat(run.stdout() + run.stderr()).doesNotContain(KEY);
    }

    @Test
    void anthropicServer() throws Exception {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-5");
        message.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "record_minutes")
                .set("input", minutes());
        message.put("stop_reason", "tool_use").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 1000).put("output_tokens", 200);
        server.stubFor(post("/v1/messages").willReturn(aResponse().withStatus(200)
                .withHeader("content-type", "application/json")
                .withHeader("anthropic-ratelimit-requests-limit", "50").withHeader("anthropic-ratelimit-requests-remaining", "49")
                .withBody(message.toString())));

        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("ANTHROPIC_API_KEY", KEY), "run", "in", "--out", "out",
                "--db", "m.db", "--json", "--provider", "anthropic", "--base-url", server.baseUrl(), "--model", "claude-haiku-4-5");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertCompletedWithUsage(JSON.readTree(run.stdout()), (1000 * 1.0 + 200 * 5.0) / 1e6);
        server.verify(2, postRequestedFor(urlEqualTo("/v1/messages")).withHeader("x-api-key", equalTo(KEY))
                .withHeader("anthropic-version", equalTo("2023-06-01")));
    }

    private void assertCompletedWithUsage(JsonNode batch, double costPerMeeting) throws Exception {
        assertThat(batch.get("status").asText()).isEqualTo("completed");
        assertThat(batch.get("items")).hasSize(2).allSatisfy(item -> {
            assertThat(item.get("status").asText()).isEqualTo("completed");
            assertThat(item.get("tokens").get("input").asLong()).isEqualTo(1000);
            assertThat(item.get("tokens").get("output").asLong()).isEqualTo(200);
            assertThat(item.get("cost_usd").asDouble()).isCloseTo(costPerMeeting, org.assertj.core.data.Offset.offset(1e-9));
        });
        assertThat(batch.get("tokens").get("input").asLong()).isEqualTo(2000);
        assertThat(batch.get("tokens").get("output").asLong()).isEqualTo(400);
        assertThat(batch.get("cost_usd").asDouble()).isCloseTo(2 * costPerMeeting, org.assertj.core.data.Offset.offset(1e-9));
        JsonNode minutes = JSON.readTree(work.resolve("out/a-planning.json").toFile());
        assertThat(minutes.get("summary").asText()).isEqualTo("The launch moves to March; Bob sends the revised plan.");
        assertThat(minutes.get("action_items").get(0).get("owner").asText()).isEqualTo("Bob");
        assertThat(minutes.get("participants")).extracting(p -> p.get("name").asText()).contains("Alice", "Bob");
    }

    /**
     * Must show, on a real 1 h 50 min call (All Core Devs #100, CC BY-SA 3.0, shipped in testdata/corpus):
     * longer than the configured context, it is analysed in parts, and the merged minutes keep the
     * action item of every part although the merge answer drops them all.
     */
    @Test
    void aRealMeetingLongerThanTheContextKeepsTheActionItemOfEveryPart() throws Exception {
        Path corpus = io.minutes.core.testing.TestCorpus.file("txt/ethereum-pm__AllCoreDevs-EL-meeting-100.md");
        Path in = Files.createDirectories(work.resolve("long"));
        Files.copy(corpus, in.resolve("acd-100.md"));
        ObjectNode partMinutes = minutes();
        ((ObjectNode) partMinutes.get("action_items").get(0)).put("description", "Follow up on part PARTNO").putNull("owner").putNull("due");
        String template = anthropicMessage(partMinutes).toString()
                .replace("PARTNO", "{{regexExtract request.body 'Transcript part ([0-9.]+),' 'p'}}{{p.0}}");
        server.stubFor(post("/v1/messages").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Transcript part"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(template)
                        .withTransformers("response-template")));
        ObjectNode merged = minutes();
        merged.putArray("action_items");
        server.stubFor(post("/v1/messages").withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.containing("Merge them"))
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json")
                        .withBody(anthropicMessage(merged).toString())));

        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of(), "run", "long", "--out", "out", "--db", "m.db", "--json",
                "--provider", "anthropic", "--base-url", server.baseUrl(), "--context-tokens", "8000", "--max-output-tokens", "1000");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        java.util.List<String> labels = new java.util.ArrayList<>();
        java.util.regex.Pattern label = java.util.regex.Pattern.compile("Transcript part ([0-9.]+),");
        for (var request : server.findAll(postRequestedFor(urlEqualTo("/v1/messages")))) {
            String prompt = JSON.readTree(request.getBodyAsString()).at("/messages/0/content").asText();
            assertThat(prompt).as("the whole transcript is never sent").doesNotContain("Transcript, one turn a line");
            java.util.regex.Matcher m = label.matcher(prompt);
            if (m.find()) labels.add(m.group(1));
        }
        assertThat(labels).hasSizeGreaterThanOrEqualTo(3);
        JsonNode minutes = JSON.readTree(work.resolve("out/acd-100.json").toFile());
        assertThat(minutes.get("action_items")).extracting(i -> i.get("description").asText())
                .containsExactlyInAnyOrderElementsOf(labels.stream().map(l -> "Follow up on part " + l).toList());
        assertThat(minutes.get("participants")).extracting(p -> p.get("name").asText()).contains("Hudson");
    }

    private static ObjectNode anthropicMessage(ObjectNode input) {
        ObjectNode message = JSON.createObjectNode();
        message.put("id", "msg_1").put("type", "message").put("role", "assistant").put("model", "claude-sonnet-4-5");
        message.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_1").put("name", "record_minutes")
                .set("input", input);
        message.put("stop_reason", "tool_use").putNull("stop_sequence");
        message.putObject("usage").put("input_tokens", 1000).put("output_tokens", 200);
        return message;
    }

    @Test
    void configShowsWhetherTheKeyIsSetButNeverTheKey() throws Exception {
        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), "config", "--provider", "openai");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.stdout()).containsPattern("api key\\s+= \\*\\*\\*\\*\\s+\\(OPENAI_API_KEY\\)").doesNotContain(KEY);
    }

    @Test
    void aMissingKeyForTheOfficialApiIsAStartUpErrorNamingTheVariable() throws Exception {
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--provider", "openai");

        assertThat(run.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(run.stderr()).contains("OPENAI_API_KEY", "--api-key-env");
        assertThat(work.resolve("m.db")).doesNotExist();
    }

    @Test
    void aRefusedKeyFailsEveryMeetingAfterOneRequestAndNamesTheSetting() throws Exception {
        server.stubFor(post("/v1/messages").willReturn(aResponse().withStatus(401).withHeader("content-type", "application/json")
                .withBody("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}")));

        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("MY_CLAUDE_KEY", KEY), "run", "in", "--out", "out",
                "--db", "m.db", "--json", "--concurrency", "1", "--provider", "anthropic", "--base-url", server.baseUrl(),
                "--api-key-env", "MY_CLAUDE_KEY");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitStatus.FAILED_MEETINGS);
        JsonNode batch = JSON.readTree(run.stdout());
        assertThat(batch.get("items")).allSatisfy(item -> {
            assertThat(item.get("status").asText()).isEqualTo("failed");
            assertThat(item.get("attempts").asInt()).as("authentication is not retried").isEqualTo(1);
            assertThat(item.get("error").get("kind").asText()).isEqualTo("permanent");
            assertThat(item.get("error").get("message").asText()).contains("MY_CLAUDE_KEY").doesNotContain(KEY);
        });
        server.verify(1, postRequestedFor(urlEqualTo("/v1/messages")));
    }
}

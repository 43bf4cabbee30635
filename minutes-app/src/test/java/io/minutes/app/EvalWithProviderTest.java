package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code minutes eval --provider openai} as a user runs it (a separate process) against an OpenAI-compatible chat
 * completions server over real HTTP: the first answer of the first meeting does not match the analysis schema (as
 * an OpenAI-compatible server without strict structured outputs may answer), its repair does, and the second
 * meeting's answer is valid at once: schema-valid on the first try is 1 of 2.
 */
class EvalWithProviderTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "sk-eval-secret-4242424242";

    @TempDir
    Path work;
    private WireMockServer server;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private static String completion(String content) {
        ObjectNode completion = JSON.createObjectNode();
        completion.put("id", "chatcmpl-eval").put("object", "chat.completion").put("created", 1764072000L).put("model", "gpt-4o-mini");
        ObjectNode choice = completion.putArray("choices").addObject().put("index", 0).putNull("logprobs").put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
        completion.putObject("usage").put("prompt_tokens", 900).put("completion_tokens", 150).put("total_tokens", 1050);
        return completion.toString();
    }

    private void answers(String scenarioState, String nextState, String content) {
        server.stubFor(post("/v1/chat/completions").inScenario("answers").whenScenarioStateIs(scenarioState)
                .willReturn(aResponse().withStatus(200).withHeader("content-type", "application/json").withBody(completion(content)))
                .willSetStateTo(nextState));
    }

    @Test
    void reportsTheAnswersThatMatchedTheSchemaOnTheFirstTry() throws Exception {
        String transcript = """
                WEBVTT

                00:00:01.000 --> 00:00:05.000
                <v Alice>We decided to move the launch to March because the audit is late.

                00:00:05.000 --> 00:00:09.000
                <v Bob>I will send the revised plan to the board by Friday.
                """;
        Files.writeString(work.resolve("a.vtt"), transcript);
        Files.writeString(work.resolve("b.vtt"), transcript);
        for (String name : new String[] {"a", "b"}) {
            Files.writeString(work.resolve(name + ".reference.json"), """
                    {"transcript": "%s.vtt",
                     "action_items": [{"description": "Send the revised plan to the board", "owner": "Bob"}],
                     "decisions": ["Move the launch to March"]}
                    """.formatted(name));
        }
        answers(Scenario.STARTED, "repair asked", "{\"summary\": \"The launch moves to March.\"}");
        answers("repair asked", "valid", ProviderRunTest.minutes().toString());
        answers("valid", "valid", ProviderRunTest.minutes().toString());

        MinutesProcess.Finished run = MinutesProcess.run(work, Map.of("OPENAI_API_KEY", KEY), "eval", "--json",
                "--provider", "openai", "--base-url", server.baseUrl() + "/v1", "--model", "gpt-4o-mini",
                "a.reference.json", "b.reference.json");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = JSON.readTree(run.stdout());
        assertThat(report.at("/meetings/0/schema_valid_first_try").asBoolean()).isFalse();
        assertThat(report.at("/meetings/1/schema_valid_first_try").asBoolean()).isTrue();
        assertThat(report.at("/overall/schema_valid_first_try").asInt()).isEqualTo(1);
        assertThat(report.at("/overall/schema_reported").asInt()).isEqualTo(2);
        assertThat(report.at("/overall/actions/recall").asDouble()).isEqualTo(1.0);
        server.verify(3, postRequestedFor(urlEqualTo("/v1/chat/completions")));
        assertThat(run.stdout() + run.stderr()).doesNotContain(KEY);
    }
}

package io.minutes.providers.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.testing.TestRequests;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiChat;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract for {@code --provider openai}, against Chat Completions as documented in OpenAI's API
 * reference: the chat.completion object, usage {prompt_tokens, completion_tokens}, the error object
 * {error: {message, type, param, code}} and the x-ratelimit-* headers.
 */
class OpenAiContractTest extends HttpAnalyzerContract {

    @Override
    protected String backend() {
        return "openai";
    }

    @Override
    protected String path() {
        return "/v1/chat/completions";
    }

    @Override
    protected Analyzer newAnalyzer(RateLimitObserver observer, long contextTokens) {
        return newAnalyzer(observer, contextTokens, OpenAiChat.StructuredOutput.AUTO);
    }

    private Analyzer newAnalyzer(RateLimitObserver observer, long contextTokens, OpenAiChat.StructuredOutput mode) {
        return ProviderAnalyzers.openAi(new ProviderAnalyzers.Common(baseUrl() + "/v1", "gpt-4o-mini", KEY,
                "set OPENAI_API_KEY or --api-key-env", 1_000, contextTokens,
                new ProviderHttp.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)), Prices.builtIn(), observer,
                Clock.systemUTC()), mode, admission);
    }

    @Override
    protected String systemPrompt(JsonNode body) {
        return body.path("messages").path(0).path("content").asText();
    }

    @Override
    protected String userPrompt(JsonNode body) {
        return body.path("messages").path(1).path("content").asText();
    }

    static ObjectNode completion(String content, String finishReason) {
        ObjectNode c = ProviderHttp.JSON.createObjectNode();
        c.put("id", "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT");
        c.put("object", "chat.completion");
        c.put("created", 1764072000L);
        c.put("model", "gpt-4o-mini-2024-07-18");
        ObjectNode choice = c.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        message.putArray("annotations");
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        ObjectNode usage = c.putObject("usage");
        usage.put("prompt_tokens", 812);
        usage.put("completion_tokens", 143);
        usage.put("total_tokens", 955);
        usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
        usage.putObject("completion_tokens_details").put("reasoning_tokens", 0).put("audio_tokens", 0)
                .put("accepted_prediction_tokens", 0).put("rejected_prediction_tokens", 0);
        c.put("service_tier", "default");
        c.put("system_fingerprint", "fp_44709d6fcb");
        return c;
    }

    static ResponseDefinitionBuilder withHeaders(ResponseDefinitionBuilder r) {
        return r.withHeader("content-type", "application/json")
                .withHeader("x-request-id", "req_4c5f3bd0b8e5a1d2")
                .withHeader("openai-processing-ms", "1204")
                .withHeader("x-ratelimit-limit-requests", "500")
                .withHeader("x-ratelimit-limit-tokens", "200000")
                .withHeader("x-ratelimit-remaining-requests", "499")
                .withHeader("x-ratelimit-remaining-tokens", "198044")
                .withHeader("x-ratelimit-reset-requests", "120ms")
                .withHeader("x-ratelimit-reset-tokens", "586ms");
    }

    @Override
    protected ResponseDefinitionBuilder ok(JsonNode answer) {
        return withHeaders(aResponse().withStatus(200)).withBody(completion(answer.toString(), "stop").toString());
    }

    @Override
    protected ResponseDefinitionBuilder truncatedAnswer() {
        return withHeaders(aResponse().withStatus(200)).withBody(completion("{\"summary\": \"The team moved the la", "length").toString());
    }

    static String error(String message, String type, String param, String code) {
        ObjectNode e = ProviderHttp.JSON.createObjectNode();
        ObjectNode inner = e.putObject("error");
        inner.put("message", message);
        inner.put("type", type);
        inner.put("param", param);
        inner.put("code", code);
        return e.toString();
    }

    @Override
    protected ResponseDefinitionBuilder error(ProviderError error) {
        ResponseDefinitionBuilder r = aResponse().withHeader("content-type", "application/json");
        return switch (error) {
            case SERVER_ERROR -> r.withStatus(503).withBody(error("The server is overloaded or not ready yet.", "server_error", null, null));
            case OVERLOADED -> r.withStatus(500).withBody(error("The server had an error while processing your request. Sorry about that!", "server_error", null, null));
            case RATE_LIMITED_5S -> r.withStatus(429)
                    .withHeader("x-ratelimit-limit-requests", "500").withHeader("x-ratelimit-remaining-requests", "0")
                    .withHeader("x-ratelimit-reset-requests", "5s")
                    .withHeader("x-ratelimit-limit-tokens", "200000").withHeader("x-ratelimit-remaining-tokens", "180000")
                    .withHeader("x-ratelimit-reset-tokens", "1s")
                    .withBody(error("Rate limit reached for gpt-4o-mini in organization org-abc on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in 5s.",
                            "requests", null, "rate_limit_exceeded"));
            case AUTHENTICATION -> r.withStatus(401).withBody(error("Incorrect API key provided: " + KEY
                    + ". You can find your API key at https://platform.openai.com/account/api-keys.", "invalid_request_error", null, "invalid_api_key"));
            case CONTENT_FILTER -> r.withStatus(400).withBody(error("The response was filtered due to the prompt triggering Azure OpenAI's content management policy.",
                    null, "prompt", "content_filter"));
        };
    }

    @Override
    protected ResponseDefinitionBuilder contextLengthError() {
        return aResponse().withStatus(400).withHeader("content-type", "application/json")
                .withBody(error("This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.",
                        "invalid_request_error", "messages", "context_length_exceeded"));
    }

    @Test
    void sendsTheKeyTheModelAndAStrictJsonSchema() throws Exception {
        stubAnswer(null, validAnswer());
        newAnalyzer().analyze(TestRequests.request("m", "t", meeting()));

        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withHeader("authorization", equalTo("Bearer " + KEY))
                .withRequestBody(matchingJsonPath("$.model", equalTo("gpt-4o-mini")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("1000")))
                .withRequestBody(matchingJsonPath("$.messages[0].role", equalTo("system")))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.strict", equalTo("true")))
                .withRequestBody(matchingJsonPath("$.response_format.json_schema.schema.required",
                        equalToJson("[\"summary\",\"action_items\",\"decisions\",\"open_questions\",\"topics\",\"participants\",\"sections\"]"))));
    }

    @Test
    void aServerThatRefusesJsonSchemaGetsJsonModeFromThenOn() throws Exception {
        server.stubFor(post(path()).atPriority(1).withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_schema")))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody(error("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.",
                                "invalid_request_error", "response_format", null))));
        stubAnswer(null, validAnswer());
        Analyzer analyzer = newAnalyzer();

        analyzer.analyze(TestRequests.request("m1", "t", meeting()));
        analyzer.analyze(TestRequests.request("m2", "t", meeting()));

        assertThat(requestBodies()).hasSize(3);
        assertThat(requestBodies().get(1)).contains("\"json_object\"", "JSON schema");
        assertThat(requestBodies().get(2)).as("the fallback sticks").contains("\"json_object\"");
    }

    @Test
    void aServerThatWantsMaxCompletionTokensGetsThemFromThenOn() throws Exception {
        server.stubFor(post(path()).atPriority(1).withRequestBody(matchingJsonPath("$.max_tokens"))
                .willReturn(aResponse().withStatus(400).withHeader("content-type", "application/json")
                        .withBody(error("Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
                                "invalid_request_error", "max_tokens", "unsupported_parameter"))));
        stubAnswer(null, validAnswer());
        Analyzer analyzer = newAnalyzer();

        analyzer.analyze(TestRequests.request("m1", "t", meeting()));
        analyzer.analyze(TestRequests.request("m2", "t", meeting()));

        assertThat(requestBodies()).hasSize(3);
        assertThat(requestBodies().get(2)).contains("\"max_completion_tokens\":1000").doesNotContain("\"max_tokens\"");
    }

    @Test
    void aContentFilterRefusalIsNotMistakenForAnUnsupportedSchema() {
        stubError(ProviderError.CONTENT_FILTER);
        Analyzer analyzer = newAnalyzer();
        org.assertj.core.api.Assertions.catchThrowable(() -> analyzer.analyze(TestRequests.request("m1", "t", meeting())));

        assertThat(requestBodies()).singleElement().asString().contains("\"json_schema\"");
    }

    @Test
    void theKeyNeverAppearsInSettingsText() {
        assertThat(new OpenAiChat.Settings("http://x/v1", "m", KEY, 10, OpenAiChat.StructuredOutput.AUTO).toString()).doesNotContain(KEY);
        assertThat(new io.minutes.providers.anthropic.AnthropicChat.Settings("http://x", "m", KEY, 10).toString()).doesNotContain(KEY);
        assertThat(new ProviderAnalyzers.Common("http://x", "m", KEY, "h", 10, null, ProviderHttp.Timeouts.DEFAULT,
                Prices.builtIn(), observer, Clock.systemUTC()).toString()).doesNotContain(KEY);
    }

    @Test
    void jsonModeWhenConfigured() throws Exception {
        stubAnswer(null, validAnswer());
        newAnalyzer(observer, 200_000, OpenAiChat.StructuredOutput.JSON_OBJECT).analyze(TestRequests.request("m", "t", meeting()));
        server.verify(postRequestedFor(urlEqualTo("/v1/chat/completions"))
                .withRequestBody(matchingJsonPath("$.response_format.type", equalTo("json_object"))));
    }

    @Test
    void costComesFromThePriceTable() throws Exception {
        stubAnswer(null, validAnswer());
        Analyzer.Result r = newAnalyzer().analyze(TestRequests.request("m", "t", meeting()));
        // gpt-4o-mini: $0.15 per 1M input, $0.60 per 1M output
        assertThat(r.usage().costUsd()).isCloseTo((812 * 0.15 + 143 * 0.60) / 1e6, org.assertj.core.data.Offset.offset(1e-12));
    }
}

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
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract for {@code --provider anthropic}, against the Messages API as documented by
 * Anthropic: the message object with a tool_use content block, usage {input_tokens, output_tokens},
 * errors {type: error, error: {type, message}} (529 overloaded_error), anthropic-ratelimit-* headers
 * and retry-after.
 */
class AnthropicContractTest extends HttpAnalyzerContract {

    @Override
    protected String backend() {
        return "anthropic";
    }

    @Override
    protected String path() {
        return "/v1/messages";
    }

    @Override
    protected Analyzer newAnalyzer(RateLimitObserver observer, long contextTokens) {
        return ProviderAnalyzers.anthropic(new ProviderAnalyzers.Common(baseUrl(), "claude-sonnet-4-5", KEY,
                "set ANTHROPIC_API_KEY or --api-key-env", 1_000, contextTokens,
                new ProviderHttp.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(10)), Prices.builtIn(), observer,
                Clock.systemUTC()), admission);
    }

    @Override
    protected String systemPrompt(JsonNode body) {
        return body.path("system").asText();
    }

    @Override
    protected String userPrompt(JsonNode body) {
        return body.path("messages").path(0).path("content").asText();
    }

    static ObjectNode message(JsonNode toolInput, String stopReason) {
        ObjectNode m = ProviderHttp.JSON.createObjectNode();
        m.put("id", "msg_01XFDUDYJgAACzvnptvVoYEL");
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", "claude-sonnet-4-5-20250929");
        ObjectNode block = m.putArray("content").addObject();
        block.put("type", "tool_use");
        block.put("id", "toolu_01A09q90qw90lq917835lq9");
        block.put("name", "record_minutes");
        block.set("input", toolInput);
        m.put("stop_reason", stopReason);
        m.putNull("stop_sequence");
        ObjectNode usage = m.putObject("usage");
        usage.put("input_tokens", 812);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", 0);
        usage.put("output_tokens", 143);
        usage.put("service_tier", "standard");
        return m;
    }

    static ResponseDefinitionBuilder withHeaders(ResponseDefinitionBuilder r) {
        String soon = Instant.now().plusSeconds(1).toString();
        return r.withHeader("content-type", "application/json")
                .withHeader("request-id", "req_018EeWyXxfu5pfWkrYcMdjWG")
                .withHeader("anthropic-organization-id", "org-test")
                .withHeader("anthropic-ratelimit-requests-limit", "500")
                .withHeader("anthropic-ratelimit-requests-remaining", "499")
                .withHeader("anthropic-ratelimit-requests-reset", soon)
                .withHeader("anthropic-ratelimit-input-tokens-limit", "30000")
                .withHeader("anthropic-ratelimit-input-tokens-remaining", "29000")
                .withHeader("anthropic-ratelimit-input-tokens-reset", soon)
                .withHeader("anthropic-ratelimit-output-tokens-limit", "8000")
                .withHeader("anthropic-ratelimit-output-tokens-remaining", "8000")
                .withHeader("anthropic-ratelimit-output-tokens-reset", soon)
                .withHeader("anthropic-ratelimit-tokens-limit", "38000")
                .withHeader("anthropic-ratelimit-tokens-remaining", "37000")
                .withHeader("anthropic-ratelimit-tokens-reset", soon);
    }

    @Override
    protected ResponseDefinitionBuilder ok(JsonNode answer) {
        return withHeaders(aResponse().withStatus(200)).withBody(message(answer, "tool_use").toString());
    }

    @Override
    protected ResponseDefinitionBuilder truncatedAnswer() {
        return withHeaders(aResponse().withStatus(200))
                .withBody(message(ProviderHttp.JSON.createObjectNode().put("summary", "The team moved"), "max_tokens").toString());
    }

    static String error(String type, String message) {
        ObjectNode e = ProviderHttp.JSON.createObjectNode();
        e.put("type", "error");
        e.putObject("error").put("type", type).put("message", message);
        e.put("request_id", "req_011CSHoEeqs5C35K2UUqR7Fy");
        return e.toString();
    }

    @Override
    protected ResponseDefinitionBuilder error(ProviderError error) {
        ResponseDefinitionBuilder r = aResponse().withHeader("content-type", "application/json");
        return switch (error) {
            case SERVER_ERROR -> r.withStatus(503).withBody(error("api_error", "Service unavailable"));
            case OVERLOADED -> r.withStatus(529).withBody(error("overloaded_error", "Overloaded"));
            case RATE_LIMITED_5S -> r.withStatus(429).withHeader("retry-after", "5")
                    .withHeader("anthropic-ratelimit-requests-limit", "500")
                    .withHeader("anthropic-ratelimit-requests-remaining", "0")
                    .withHeader("anthropic-ratelimit-requests-reset", Instant.now().plusSeconds(5).toString())
                    .withBody(error("rate_limit_error", "This request would exceed the rate limit for your organization of 500 requests per minute."));
            case AUTHENTICATION -> r.withStatus(401).withBody(error("authentication_error", "invalid x-api-key"));
            case CONTENT_FILTER -> r.withStatus(400).withBody(error("invalid_request_error", "Output blocked by content filtering policy"));
        };
    }

    @Override
    protected ResponseDefinitionBuilder contextLengthError() {
        return aResponse().withStatus(400).withHeader("content-type", "application/json")
                .withBody(error("invalid_request_error", "prompt is too long: 208367 tokens > 200000 maximum"));
    }

    @Test
    void sendsTheKeyTheVersionAndAForcedTool() throws Exception {
        stubAnswer(null, validAnswer());
        newAnalyzer().analyze(TestRequests.request("m", "t", meeting()));

        server.verify(postRequestedFor(urlEqualTo("/v1/messages"))
                .withHeader("x-api-key", equalTo(KEY))
                .withHeader("anthropic-version", equalTo("2023-06-01"))
                .withRequestBody(matchingJsonPath("$.model", equalTo("claude-sonnet-4-5")))
                .withRequestBody(matchingJsonPath("$.max_tokens", equalTo("1000")))
                .withRequestBody(matchingJsonPath("$.tools[0].name", equalTo("record_minutes")))
                .withRequestBody(matchingJsonPath("$.tools[0].input_schema.type", equalTo("object")))
                .withRequestBody(matchingJsonPath("$.tool_choice.type", equalTo("tool")))
                .withRequestBody(matchingJsonPath("$.tool_choice.name", equalTo("record_minutes"))));
    }

    @Test
    void aRepairAnswersTheToolUseWithAnErrorResult() throws Exception {
        stubInvalidThenValid(ProviderHttp.JSON.createObjectNode().put("summary", "Launch moved."), validAnswer());
        newAnalyzer().analyze(TestRequests.request("m", "t", meeting()));

        JsonNode repair = ProviderHttp.JSON.readTree(requestBodies().get(1));
        assertThat(repair.at("/messages/1/role").asText()).isEqualTo("assistant");
        assertThat(repair.at("/messages/1/content/0/type").asText()).isEqualTo("tool_use");
        assertThat(repair.at("/messages/2/content/0/type").asText()).isEqualTo("tool_result");
        assertThat(repair.at("/messages/2/content/0/tool_use_id").asText()).isEqualTo("toolu_01A09q90qw90lq917835lq9");
        assertThat(repair.at("/messages/2/content/0/is_error").asBoolean()).isTrue();
    }
}

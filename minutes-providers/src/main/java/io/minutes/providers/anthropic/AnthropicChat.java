package io.minutes.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Failure;
import io.minutes.providers.http.ErrorKind;
import io.minutes.providers.http.ProviderException;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.llm.AnalysisSchema;
import io.minutes.providers.llm.ChatModel;
import io.minutes.providers.openai.OpenAiChat;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * Anthropic Messages ({@code POST {base}/v1/messages}, {@code anthropic-version: 2023-06-01}).
 * Structured output through a tool: the request defines {@code record_minutes} with the analysis
 * schema as its {@code input_schema} and forces it with {@code tool_choice}; the answer is the
 * {@code tool_use} block's {@code input}. A repair replays that block and answers it with an
 * {@code is_error} {@code tool_result} listing the problems.
 */
public final class AnthropicChat implements ChatModel {
    static final String TOOL = "record_minutes";
    static final String VERSION = "2023-06-01";

    public record Settings(String baseUrl, String model, String apiKey, int maxOutputTokens) {
        @Override
        public String toString() {
            return "AnthropicChat.Settings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "****")
                    + ", maxOutputTokens=" + maxOutputTokens + "]";
        }
    }

    private final Settings settings;
    private final ProviderHttp http;
    private final URI endpoint;
    private final Map<String, String> headers;

    public AnthropicChat(Settings settings, ProviderHttp http) {
        this.settings = settings;
        this.http = http;
        this.endpoint = endpoint(settings, "/messages");
        this.headers = headers(settings);
    }

    /** {@code path} under the Messages API of the configured base URL, with or without its {@code /v1}. */
    static URI endpoint(Settings settings, String path) {
        String base = settings.baseUrl().strip();
        if (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        return OpenAiChat.endpoint(base, (base.endsWith("/v1") ? "" : "/v1") + path);
    }

    /** The API version and, when there is one, the key. */
    static Map<String, String> headers(Settings settings) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("anthropic-version", VERSION);
        if (settings.apiKey() != null && !settings.apiKey().isBlank()) h.put("x-api-key", settings.apiKey());
        return Map.copyOf(h);
    }

    @Override
    public String provider() {
        return http.provider();
    }

    @Override
    public String model() {
        return settings.model();
    }

    @Override
    public long overheadTokens(ToLongFunction<String> countText) {
        // the tool definition, and the tool-use system prompt Anthropic adds for a forced tool (~300 tokens)
        return 300 + countText.applyAsLong(tool().toString());
    }

    @Override
    public Reply ask(Prompt prompt) throws ProviderException {
        return send(prompt, List.of());
    }

    @Override
    public Reply repair(Prompt prompt, Reply previous, List<String> problems) throws ProviderException {
        ObjectNode assistant = ProviderHttp.JSON.createObjectNode().put("role", "assistant");
        assistant.set("content", previous.turn().path("content").deepCopy());
        ObjectNode user = ProviderHttp.JSON.createObjectNode().put("role", "user");
        ArrayNode content = user.putArray("content");
        String toolUseId = toolUse(previous.turn()).path("id").asText("");
        if (toolUseId.isEmpty()) {
            content.addObject().put("type", "text").put("text", ChatModel.repairRequest(problems));
        } else {
            content.addObject().put("type", "tool_result").put("tool_use_id", toolUseId).put("is_error", true)
                    .put("content", ChatModel.repairRequest(problems));
        }
        return send(prompt, List.of(assistant, user));
    }

    @Override
    public ObjectNode requestBody(Prompt prompt) {
        return body(prompt, List.of());
    }

    @Override
    public Reply reply(JsonNode responseBody, int status) throws ProviderException {
        return parse(responseBody, status);
    }

    private Reply send(Prompt prompt, List<ObjectNode> followUp) throws ProviderException {
        return parse(http.postJson(endpoint, headers, body(prompt, followUp)));
    }

    private ObjectNode body(Prompt prompt, List<ObjectNode> followUp) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        body.put("model", settings.model());
        body.put("max_tokens", settings.maxOutputTokens());
        body.put("system", prompt.system());
        ArrayNode messages = body.putArray("messages");
        messages.addObject().put("role", "user").put("content", prompt.user());
        followUp.forEach(messages::add);
        body.putArray("tools").add(tool());
        body.putObject("tool_choice").put("type", "tool").put("name", TOOL);
        return body;
    }

    private static ObjectNode tool() {
        ObjectNode tool = ProviderHttp.JSON.createObjectNode();
        tool.put("name", TOOL);
        tool.put("description", "Record the minutes of the meeting.");
        tool.set("input_schema", AnalysisSchema.schema());
        return tool;
    }

    private Reply parse(ProviderHttp.Response response) throws ProviderException {
        return parse(response.json(), response.status());
    }

    private Reply parse(JsonNode root, int status) throws ProviderException {
        if (!root.path("content").isArray()) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INVALID_ANSWER, status, provider() + " answered HTTP "
                    + status + " without a content array", null);
        }
        String stop = root.path("stop_reason").asText("");
        if (stop.equals("refusal")) {
            throw new ProviderException(ErrorKind.PERMANENT, Failure.Cause.UNUSABLE_ANSWER, status, provider() + " (" + model()
                    + ") declined to answer (stop_reason refusal); it will not be retried", null);
        }
        JsonNode use = toolUse(root);
        JsonNode input = use.isMissingNode() ? null : use.path("input");
        String raw = input == null ? text(root) : input.toString();
        JsonNode usage = root.path("usage");
        long in = usage.path("input_tokens").asLong(0) + usage.path("cache_creation_input_tokens").asLong(0)
                + usage.path("cache_read_input_tokens").asLong(0);
        return new Reply(input == null || !input.isObject() ? null : input, raw, in,
                usage.path("output_tokens").asLong(0), stop.equals("max_tokens"), root, usage.path("cache_read_input_tokens").asLong(0),
                usage.path("cache_creation_input_tokens").asLong(0));
    }

    private static JsonNode toolUse(JsonNode message) {
        for (JsonNode block : message.path("content")) {
            if ("tool_use".equals(block.path("type").asText()) && TOOL.equals(block.path("name").asText())) return block;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String text(JsonNode message) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode block : message.path("content")) {
            if ("text".equals(block.path("type").asText())) sb.append(block.path("text").asText());
        }
        return sb.toString();
    }
}

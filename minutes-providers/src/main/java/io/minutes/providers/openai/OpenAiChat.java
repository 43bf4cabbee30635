package io.minutes.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Failure;
import io.minutes.providers.http.ErrorKind;
import io.minutes.providers.http.ProviderException;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.llm.AnalysisSchema;
import io.minutes.providers.llm.ChatModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * OpenAI Chat Completions ({@code POST {base}/chat/completions}), the protocol OpenAI, Azure OpenAI,
 * Ollama, vLLM, LM Studio and LiteLLM share. Structured output by {@code response_format}:
 * {@code json_schema} (strict) where the server supports it, else {@code json_object} (JSON mode)
 * with the schema in the prompt; in {@code auto} mode a 400/422 answer about {@code json_schema}
 * switches this adapter to JSON mode for the rest of the run. The output limit goes as
 * {@code max_tokens}, or {@code max_completion_tokens} for gpt-5 and o-series models and for any
 * server whose 400 asks for it. Azure hosts get the {@code api-key}
 * header, every other host {@code Authorization: Bearer}; no key, no header (Ollama needs none).
 */
public final class OpenAiChat implements ChatModel {
    private static final Logger log = LoggerFactory.getLogger(OpenAiChat.class);

    public enum StructuredOutput { AUTO, JSON_SCHEMA, JSON_OBJECT }

    public record Settings(String baseUrl, String model, String apiKey, int maxOutputTokens, StructuredOutput structuredOutput) {
        @Override
        public String toString() {
            return "OpenAiChat.Settings[baseUrl=" + baseUrl + ", model=" + model + ", apiKey=" + (apiKey == null ? "none" : "****")
                    + ", maxOutputTokens=" + maxOutputTokens + ", structuredOutput=" + structuredOutput + "]";
        }
    }

    /** The flex service tier: half price, slower, sometimes refused for capacity (429 resource unavailable). */
    public static final String FLEX = "flex";

    private final Settings settings;
    private final ProviderHttp http;
    /** {@code service_tier} sent with every call; null: the account's default tier. */
    private final String serviceTier;
    private final URI endpoint;
    private final Map<String, String> headers;
    private volatile boolean jsonSchema;
    private volatile boolean completionTokens;

    public OpenAiChat(Settings settings, ProviderHttp http) {
        this(settings, http, null);
    }

    /** {@code serviceTier}: sent as {@code service_tier} with every call ({@link #FLEX}); null sends none. */
    public OpenAiChat(Settings settings, ProviderHttp http, String serviceTier) {
        this.settings = settings;
        this.http = http;
        this.serviceTier = serviceTier;
        this.endpoint = endpoint(settings.baseUrl(), "/chat/completions");
        this.headers = authHeaders(settings);
        this.jsonSchema = settings.structuredOutput() != StructuredOutput.JSON_OBJECT;
        this.completionTokens = usesCompletionTokens(settings.model());
    }

    /** The key's header for this host: Azure's {@code api-key}, every other host {@code Authorization: Bearer}; no key, none. */
    public static Map<String, String> authHeaders(Settings settings) {
        if (settings.apiKey() == null || settings.apiKey().isBlank()) return Map.of();
        String host = endpoint(settings.baseUrl(), "").getHost();
        return host != null && host.toLowerCase(Locale.ROOT).endsWith(".azure.com")
                ? Map.of("api-key", settings.apiKey())
                : Map.of("authorization", "Bearer " + settings.apiKey());
    }

    /** {@code base} + {@code path}, keeping a query string such as Azure's {@code ?api-version=}. */
    public static URI endpoint(String base, String path) {
        URI b = URI.create(base.strip());
        String p = b.getRawPath() == null ? "" : b.getRawPath();
        if (p.endsWith("/")) p = p.substring(0, p.length() - 1);
        String q = b.getRawQuery() == null ? "" : "?" + b.getRawQuery();
        return URI.create(b.getScheme() + "://" + b.getRawAuthority() + p + path + q);
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
        // 3 tokens of framing per message plus 3 priming the reply (OpenAI's counting guide); the schema travels too
        return 12 + countText.applyAsLong(AnalysisSchema.schema().toString());
    }

    @Override
    public Reply ask(Prompt prompt) throws ProviderException {
        return send(prompt, List.of());
    }

    @Override
    public ObjectNode requestBody(Prompt prompt) {
        return body(prompt, List.of(), jsonSchema, completionTokens);
    }

    @Override
    public Reply reply(JsonNode responseBody, int status) throws ProviderException {
        return parse(responseBody, status);
    }

    @Override
    public Reply repair(Prompt prompt, Reply previous, List<String> problems) throws ProviderException {
        ObjectNode assistant = ProviderHttp.JSON.createObjectNode().put("role", "assistant").put("content", previous.raw());
        ObjectNode user = ProviderHttp.JSON.createObjectNode().put("role", "user").put("content", ChatModel.repairRequest(problems));
        return send(prompt, List.of(assistant, user));
    }

    /**
     * Sends the call; a server that refuses json_schema (in auto mode) or max_tokens gets the same call
     * once more in the form it accepts, and keeps that form for the rest of the run once it works.
     */
    private Reply send(Prompt prompt, List<ObjectNode> followUp) throws ProviderException {
        boolean schemaMode = jsonSchema;
        boolean completion = completionTokens;
        try {
            return parse(http.postJson(endpoint, headers, body(prompt, followUp, schemaMode, completion)));
        } catch (ProviderException e) {
            if (e.kind() != ErrorKind.PERMANENT || (e.status() != 400 && e.status() != 422)) throw e;
            String said = e.getMessage().toLowerCase(Locale.ROOT);
            if (!completion && said.contains("max_completion_tokens")) {
                Reply reply = parse(http.postJson(endpoint, headers, body(prompt, followUp, schemaMode, true)));
                completionTokens = true;
                return reply;
            }
            boolean refusedSchema = schemaMode && settings.structuredOutput() == StructuredOutput.AUTO
                    && (said.contains("response_format") || said.contains("json_schema") || said.contains("schema")
                    || said.contains("structured"));
            if (!refusedSchema) throw e;
            Reply reply = parse(http.postJson(endpoint, headers, body(prompt, followUp, false, completion)));
            if (jsonSchema) {
                jsonSchema = false;
                log.warn("{}: the server refused response_format json_schema ({}); using JSON mode (json_object) for the rest of the run",
                        provider(), e.getMessage());
            }
            return reply;
        }
    }

    private ObjectNode body(Prompt prompt, List<ObjectNode> followUp, boolean schemaMode, boolean completion) {
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        body.put("model", settings.model());
        ArrayNode messages = body.putArray("messages");
        String system = schemaMode ? prompt.system()
                : prompt.system() + "\nAnswer in JSON that follows this JSON schema:\n" + AnalysisSchema.schema();
        messages.addObject().put("role", "system").put("content", system);
        messages.addObject().put("role", "user").put("content", prompt.user());
        followUp.forEach(messages::add);
        // newer reasoning models take only max_completion_tokens; most compatible servers know only max_tokens
        body.put(completion ? "max_completion_tokens" : "max_tokens", settings.maxOutputTokens());
        if (serviceTier != null) body.put("service_tier", serviceTier);
        ObjectNode format = body.putObject("response_format");
        if (schemaMode) {
            format.put("type", "json_schema");
            ObjectNode schema = format.putObject("json_schema");
            schema.put("name", "meeting_minutes");
            schema.put("strict", true);
            schema.set("schema", AnalysisSchema.schema());
        } else {
            format.put("type", "json_object");
        }
        return body;
    }

    static boolean usesCompletionTokens(String model) {
        String m = model.toLowerCase(Locale.ROOT);
        int slash = m.lastIndexOf('/');
        if (slash >= 0) m = m.substring(slash + 1);
        return m.startsWith("gpt-5") || m.matches("o[1-9](-.*)?");
    }

    private Reply parse(ProviderHttp.Response response) throws ProviderException {
        return parse(response.json(), response.status());
    }

    private Reply parse(JsonNode root, int status) throws ProviderException {
        JsonNode choice = root.path("choices").path(0);
        JsonNode message = choice.path("message");
        if (choice.isMissingNode() || message.isMissingNode()) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INVALID_ANSWER, status, provider()
                    + " answered HTTP " + status + " without choices[0].message", null);
        }
        String finish = choice.path("finish_reason").asText("");
        JsonNode refusal = message.path("refusal");
        if (refusal.isTextual() && !refusal.asText().isBlank()) {
            throw new ProviderException(ErrorKind.PERMANENT, Failure.Cause.UNUSABLE_ANSWER, status, provider() + " (" + model()
                    + ") refused to answer: " + http.mask(refusal.asText()), null);
        }
        if (finish.equals("content_filter")) {
            throw new ProviderException(ErrorKind.PERMANENT, Failure.Cause.UNUSABLE_ANSWER, status, provider() + " (" + model()
                    + "): the provider's content filter stopped the answer (finish_reason content_filter); it will not be retried", null);
        }
        String content = message.path("content").asText("");
        JsonNode usage = root.path("usage");
        return new Reply(json(content), content, usage.path("prompt_tokens").asLong(0),
                usage.path("completion_tokens").asLong(0), finish.equals("length"), message, usage.path("prompt_tokens_details").path("cached_tokens").asLong(0));
    }

    /** The answer as JSON, tolerating a fenced code block around it (some local models add one). */
    static JsonNode json(String content) {
        String s = content.strip();
        if (s.startsWith("```")) {
            int first = s.indexOf('\n');
            int last = s.lastIndexOf("```");
            if (first > 0 && last > first) s = s.substring(first + 1, last).strip();
        }
        try {
            JsonNode n = ProviderHttp.JSON.readTree(s);
            return n == null || n.isMissingNode() ? null : n;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}

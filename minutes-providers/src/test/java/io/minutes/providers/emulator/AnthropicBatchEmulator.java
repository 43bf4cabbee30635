package io.minutes.providers.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Anthropic's Message Batches API as its reference describes it, over real HTTP: {@code POST /v1/messages/batches}
 * ({@code requests: [{custom_id, params}]}, custom ids {@code ^[a-zA-Z0-9_-]{1,64}$} and unique, at most 100,000
 * requests; an invalid one refuses the whole batch with a 400), {@code GET /v1/messages/batches/{id}}
 * ({@code processing_status} in_progress | canceling | ended, {@code request_counts} processing, succeeded,
 * errored, canceled, expired; {@code results_url} once ended), {@code GET /v1/messages/batches?limit=&after_id=}
 * (newest first), {@code POST .../{id}/cancel}, {@code DELETE .../{id}} (ended batches only), and
 * {@code GET .../{id}/results}: JSONL, streamed, in any order, each result {@code succeeded} (a Messages answer
 * with the forced tool's {@code tool_use}), {@code errored}, {@code canceled} or {@code expired}. Every request
 * needs {@code x-api-key:} {@link #KEY} and {@code anthropic-version}.
 */
public final class AnthropicBatchEmulator extends BatchEmulator {
    public static final String KEY = "sk-ant-emulator-0123456789";
    public static final int MAX_REQUESTS = 100_000;
    private static final Pattern CUSTOM_ID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
    private static final String PATH = "/v1/messages/batches";

    private final Map<String, EmulatedBatch> deleted = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long cacheReadTokens;
    private volatile long cacheWriteTokens;

    public AnthropicBatchEmulator() throws IOException {
        server.createContext(PATH, this::handle);
        server.createContext("/v1/messages", this::realtime);
        start();
    }

    @Override
    protected String batchIdPrefix() {
        return "msgbatch_";
    }

    /** The {@code base-url} the client is given. */
    public String baseUrl() {
        return origin();
    }

    /**
     * Prompt tokens every answer reports as read from and written to the prompt cache: Anthropic's {@code usage} counts
     * them apart ({@code cache_read_input_tokens}, {@code cache_creation_input_tokens}), and {@code input_tokens} is
     * what remains of the prompt after them.
     */
    public AnthropicBatchEmulator cacheTokens(long read, long written) {
        cacheReadTokens = read;
        cacheWriteTokens = written;
        return this;
    }

    /** Batches the emulator still holds (not deleted). */
    public int batchesHeld() {
        return batches.size();
    }

    static ObjectNode error(String type, String message) {
        ObjectNode body = EmulatedMinutes.JSON.createObjectNode().put("type", "error");
        body.putObject("error").put("type", type).put("message", message);
        return body;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                send(exchange, 401, error("authentication_error", "invalid x-api-key"));
                return;
            }
            if (exchange.getRequestHeaders().getFirst("anthropic-version") == null) {
                send(exchange, 400, error("invalid_request_error", "anthropic-version: header is required"));
                return;
            }
            String[] path = exchange.getRequestURI().getPath().substring(PATH.length()).split("/");
            String method = exchange.getRequestMethod();
            String id = path.length > 1 ? path[1] : null;
            long now = System.nanoTime();
            if (id == null && method.equals("POST")) {
                create(exchange, body(exchange));
                return;
            }
            if (id == null && method.equals("GET")) {
                list(exchange, now);
                return;
            }
            EmulatedBatch batch = batches.get(id);
            if (batch == null || batch.fresh(now)) {
                send(exchange, 404, error("not_found_error", "message_batch " + id + " not found"));
                return;
            }
            String action = path.length > 2 ? path[2] : "";
            if (action.equals("cancel") && method.equals("POST")) {
                batch.cancel(now);
                send(exchange, 200, batchObject(batch, now));
            } else if (action.equals("results") && method.equals("GET")) {
                if (!batch.phase(now).ended()) {
                    send(exchange, 400, error("invalid_request_error", "Message Batch " + id + " has not yet ended; results are"
                            + " available once processing_status is ended."));
                    return;
                }
                settle(batch, now);
                sendLines(exchange, "application/binary", out -> results(batch, now, out));
            } else if (action.isEmpty() && method.equals("GET")) {
                send(exchange, 200, batchObject(batch, now));
            } else if (action.isEmpty() && method.equals("DELETE")) {
                if (!batch.phase(now).ended()) {
                    send(exchange, 400, error("invalid_request_error", "Message Batch " + id
                            + " cannot be deleted while it is processing; cancel it first."));
                    return;
                }
                settle(batch, now);
                batches.remove(id);
                deleted.put(id, batch);
                send(exchange, 200, EmulatedMinutes.JSON.createObjectNode().put("id", id).put("type", "message_batch_deleted"));
            } else {
                send(exchange, 405, error("invalid_request_error", "method not allowed"));
            }
        }
    }

    /** {@code POST /v1/messages}: the realtime call, answered with the forced tool's {@code tool_use}. */
    private void realtime(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/v1/messages") || !exchange.getRequestMethod().equals("POST")) {
                send(exchange, 404, error("not_found_error", "Not found"));
                return;
            }
            if (!KEY.equals(exchange.getRequestHeaders().getFirst("x-api-key"))) {
                send(exchange, 401, error("authentication_error", "invalid x-api-key"));
                return;
            }
            String text = body(exchange);
            JsonNode params = json(text);
            if (params == null || !params.path("model").isTextual() || !params.path("max_tokens").isNumber()
                    || !params.path("messages").isArray()) {
                send(exchange, 400, error("invalid_request_error", "model, max_tokens and messages are required"));
                return;
            }
            EmulatedLine line = EmulatedLine.of("realtime", userText(params), text.length());
            if (line.outcome() == EmulatedLine.Outcome.SERVER_ERROR) {
                send(exchange, 500, error("api_error", "Internal server error"));
                return;
            }
            answering();
            answered(line);
            send(exchange, 200, message(line, params.path("model").asText()));
        }
    }

    private static String userText(JsonNode params) {
        StringBuilder user = new StringBuilder();
        for (JsonNode m : params.path("messages")) {
            if ("user".equals(m.path("role").asText()) && m.path("content").isTextual()) user.append(m.path("content").asText()).append('\n');
        }
        return user.toString();
    }

    private void create(HttpExchange exchange, String body) throws IOException {
        JsonNode req = json(body);
        JsonNode requests = req == null ? null : req.path("requests");
        if (requests == null || !requests.isArray() || requests.isEmpty()) {
            send(exchange, 400, error("invalid_request_error", "requests: Field required (a non-empty list)"));
            return;
        }
        if (requests.size() > MAX_REQUESTS) {
            send(exchange, 400, error("invalid_request_error", "requests: at most " + MAX_REQUESTS + " requests per batch"));
            return;
        }
        List<EmulatedLine> lines = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        String model = null;
        for (int i = 0; i < requests.size(); i++) {
            JsonNode r = requests.get(i);
            String customId = r.path("custom_id").asText("");
            if (!CUSTOM_ID.matcher(customId).matches()) {
                send(exchange, 400, error("invalid_request_error", "requests." + i + ".custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'"));
                return;
            }
            if (!seen.add(customId)) {
                send(exchange, 400, error("invalid_request_error", "Duplicate custom_id: " + customId + ". Each request in a batch must have a unique custom_id."));
                return;
            }
            JsonNode params = r.path("params");
            if (!params.path("model").isTextual() || !params.path("max_tokens").isNumber() || !params.path("messages").isArray()) {
                send(exchange, 400, error("invalid_request_error", "requests." + i + ".params: model, max_tokens and messages are required"));
                return;
            }
            model = params.path("model").asText();
            lines.add(EmulatedLine.of(customId, userText(params), r.toString().length()));
        }
        EmulatedBatch batch = newBatch(nextId("msgbatch_"), null, model, lines, null);
        send(exchange, 200, batchObject(batch, System.nanoTime()));
    }

    private void list(HttpExchange exchange, long now) throws IOException {
        Map<String, String> q = query(exchange);
        int limit = Math.max(1, Math.min(1000, Integer.parseInt(q.getOrDefault("limit", "20"))));
        String after = q.get("after_id");
        List<EmulatedBatch> all;
        synchronized (batches) {
            all = new ArrayList<>(batches.values());
        }
        Collections.reverse(all);
        List<EmulatedBatch> page = new ArrayList<>();
        boolean started = after == null;
        boolean more = false;
        for (EmulatedBatch b : all) {
            if (!started) {
                started = b.id.equals(after);
                continue;
            }
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(b);
        }
        ObjectNode list = EmulatedMinutes.JSON.createObjectNode();
        ArrayNode data = list.putArray("data");
        for (EmulatedBatch b : page) data.add(batchObject(b, now));
        list.put("has_more", more);
        list.put("first_id", page.isEmpty() ? null : page.getFirst().id);
        list.put("last_id", page.isEmpty() ? null : page.getLast().id);
        send(exchange, 200, list);
    }

    private ObjectNode batchObject(EmulatedBatch batch, long now) {
        settle(batch, now);
        EmulatedBatch.Phase phase = batch.phase(now);
        boolean ended = phase.ended();
        int finished = batch.finished(now);
        int errored = batch.errored(now);
        int notRun = ended ? batch.lines.size() - finished : 0;
        ObjectNode b = EmulatedMinutes.JSON.createObjectNode().put("id", batch.id).put("type", "message_batch")
                .put("processing_status", ended ? "ended" : phase == EmulatedBatch.Phase.CANCELLING ? "canceling" : "in_progress");
        b.putObject("request_counts").put("processing", batch.lines.size() - finished - notRun).put("succeeded", finished - errored)
                .put("errored", errored).put("canceled", phase == EmulatedBatch.Phase.CANCELLED ? notRun : 0)
                .put("expired", phase == EmulatedBatch.Phase.EXPIRED ? notRun : 0);
        Instant endedAt = batch.endedAt(now);
        b.put("ended_at", endedAt == null ? null : endedAt.toString());
        b.put("created_at", batch.createdAt.toString());
        b.put("expires_at", batch.createdAt.plus(batch.timing.window()).toString());
        b.putNull("archived_at");
        b.put("cancel_initiated_at", batch.cancelRequested() ? batch.cancelledAt().toString() : null);
        b.put("results_url", ended ? origin() + PATH + "/" + batch.id + "/results" : null);
        return b;
    }

    private void results(EmulatedBatch batch, long now, java.util.function.Consumer<String> out) {
        int finished = batch.finished(now);
        boolean expired = batch.phase(now) == EmulatedBatch.Phase.EXPIRED;
        for (int i = 0; i < batch.lines.size(); i++) {
            EmulatedLine line = batch.lines.get(i);
            ObjectNode o = EmulatedMinutes.JSON.createObjectNode().put("custom_id", line.customId());
            ObjectNode result = o.putObject("result");
            if (i >= finished) {
                result.put("type", expired ? "expired" : "canceled");
            } else if (line.outcome() == EmulatedLine.Outcome.SERVER_ERROR) {
                result.put("type", "errored").set("error", error("api_error", "Internal server error"));
            } else if (line.outcome() == EmulatedLine.Outcome.BAD_REQUEST) {
                result.put("type", "errored").set("error", error("invalid_request_error", "messages.0.content: text too long"));
            } else {
                result.put("type", "succeeded").set("message", message(line, batch.model));
            }
            out.accept(o.toString());
        }
    }

    private ObjectNode message(EmulatedLine line, String model) {
        ObjectNode input = EmulatedMinutes.of(line, answerPadding());
        ObjectNode m = EmulatedMinutes.JSON.createObjectNode().put("id", "msg_" + line.customId()).put("type", "message")
                .put("role", "assistant").put("model", model);
        m.putArray("content").addObject().put("type", "tool_use").put("id", "toolu_" + line.customId())
                .put("name", "record_minutes").set("input", input);
        m.put("stop_reason", "tool_use").putNull("stop_sequence");
        long read = Math.min(cacheReadTokens, line.promptTokens());
        long written = Math.min(cacheWriteTokens, line.promptTokens() - read);
        m.putObject("usage").put("input_tokens", line.promptTokens() - read - written).put("cache_creation_input_tokens", written)
                .put("cache_read_input_tokens", read).put("output_tokens", EmulatedMinutes.tokens(input.toString()));
        return m;
    }
}

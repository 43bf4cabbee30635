package io.minutes.providers.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * OpenAI's Files, Batch and Chat Completions APIs as their reference describes them, over real HTTP:
 * <ul>
 *   <li>{@code POST /v1/files} (multipart, {@code purpose=batch}, a {@code .jsonl} file of at most 200 MB, an
 *       optional {@code expires_after[anchor]=created_at} and {@code expires_after[seconds]} between 3600 and
 *       2592000, else 30 days for a batch file, shown as the file's {@code expires_at}),
 *       {@code GET /v1/files?purpose=}, {@code GET /v1/files/{id}}, {@code GET /v1/files/{id}/content} (streamed),
 *       {@code DELETE /v1/files/{id}};</li>
 *   <li>{@code POST /v1/batches} ({@code input_file_id}, {@code endpoint}, {@code completion_window: 24h},
 *       {@code metadata}, an optional {@code output_expires_after: {anchor: created_at, seconds}} within the same
 *       range, the output and error files' {@code expires_at} counted from their own creation), {@code GET /v1/batches/{id}}, {@code GET /v1/batches?limit=&after=} (newest first),
 *       {@code POST /v1/batches/{id}/cancel}; statuses validating, failed (a bad line: {@code errors.data[]} with
 *       its line; the enqueued-token limit: {@code token_limit_exceeded}), in_progress (with
 *       {@code request_counts}), finalizing, completed, expired (the window passed: the finished lines in the
 *       output file, the rest {@code batch_expired} in the error file), cancelling, cancelled (likewise,
 *       {@code batch_cancelled}); output lines in a shuffled order; a fresh batch may answer 404 for a while;</li>
 *   <li>{@code POST /v1/chat/completions}, realtime, where a configurable share of {@code service_tier: flex}
 *       calls (or the next few) is refused 429 for capacity, {@code resource_unavailable} as OpenAI's flex guide says
 *       ("429 Resource Unavailable"; nothing is charged for it); an answer echoes the tier it ran in as
 *       {@code service_tier} ({@code default} when none was asked).</li>
 * </ul>
 * Every request needs {@code Authorization: Bearer} {@link #KEY}.
 */
public final class OpenAiBatchEmulator extends BatchEmulator {
    public static final String KEY = "sk-emulator-openai-0123456789";
    public static final int MAX_LINES = 50_000;
    public static final long MAX_FILE_BYTES = 200L * 1024 * 1024;

    private final Map<String, StoredFile> files = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Random flexDice = new Random(7);
    private final AtomicInteger flexRefused = new AtomicInteger();
    private final AtomicInteger realtimeAnswered = new AtomicInteger();
    private final AtomicInteger flexAnswered = new AtomicInteger();
    private final AtomicInteger flexRefuseNext = new AtomicInteger();
    private volatile java.time.Duration flexRetryAfter;
    private volatile long enqueuedTokenLimit = 2_000_000;
    private volatile boolean enqueuedLimitAtCreate;
    private volatile double flexRefusedShare;
    private volatile long cachedTokens;

    /** An uploaded file (its text), or a batch's output or error file (made when read). */
    private record StoredFile(String id, String filename, String purpose, Instant createdAt, String text,
                              EmulatedBatch batch, boolean errors, Duration expiresAfter) {
        long bytes() {
            return text == null ? 0 : text.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    public OpenAiBatchEmulator() throws IOException {
        server.createContext("/v1/files", this::files);
        server.createContext("/v1/batches", this::batches);
        server.createContext("/v1/chat/completions", this::chat);
        start();
    }

    @Override
    protected String batchIdPrefix() {
        return "batch_";
    }

    /** The {@code base-url} the client is given. */
    public String baseUrl() {
        return origin() + "/v1";
    }

    /** The prompt tokens this model's batches may hold waiting at once (OpenAI: per model and organisation). */
    public OpenAiBatchEmulator enqueuedTokenLimit(long tokens) {
        enqueuedTokenLimit = tokens;
        return this;
    }

    /** Refuse a batch over the enqueued-token limit with a 400 at create, instead of failing it at validation. */
    public OpenAiBatchEmulator enqueuedLimitAtCreate(boolean atCreate) {
        enqueuedLimitAtCreate = atCreate;
        return this;
    }

    /** The share (0..1) of flex calls refused 429 for capacity. */
    public OpenAiBatchEmulator flexRefusedShare(double share) {
        flexRefusedShare = share;
        return this;
    }

    /** Prompt tokens every answer reports as read from the prompt cache. */
    public OpenAiBatchEmulator cachedTokens(long tokens) {
        cachedTokens = tokens;
        return this;
    }

    /** The next {@code calls} flex calls are refused 429 for capacity, whatever the share. */
    public OpenAiBatchEmulator flexRefuseNext(int calls) {
        flexRefuseNext.set(calls);
        return this;
    }

    /** A flex refusal says {@code retry-after} (whole seconds, rounded up); null: it says none (the default). */
    public OpenAiBatchEmulator flexRetryAfter(java.time.Duration wait) {
        flexRetryAfter = wait;
        return this;
    }

    public int flexRefused() {
        return flexRefused.get();
    }

    /** Realtime calls answered in the flex tier (of {@link #realtimeAnswered()}). */
    public int flexAnswered() {
        return flexAnswered.get();
    }

    public int realtimeAnswered() {
        return realtimeAnswered.get();
    }

    /** Files the emulator holds now, by purpose ({@code batch}, {@code batch_output}). */
    public int filesHeld(String purpose) {
        synchronized (files) {
            return (int) files.values().stream().filter(f -> f.purpose().equals(purpose)).count();
        }
    }

    private boolean authorized(HttpExchange exchange) throws IOException {
        if (("Bearer " + KEY).equals(exchange.getRequestHeaders().getFirst("authorization"))) return true;
        send(exchange, 401, error("Incorrect API key provided.", "invalid_request_error", null, "invalid_api_key"));
        return false;
    }

    static ObjectNode error(String message, String type, String param, String code) {
        ObjectNode body = EmulatedMinutes.JSON.createObjectNode();
        body.putObject("error").put("message", message).put("type", type).put("param", param).put("code", code);
        return body;
    }

    // ---- files

    private void files(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) return;
            String[] path = exchange.getRequestURI().getPath().substring("/v1/files".length()).split("/");
            String method = exchange.getRequestMethod();
            String id = path.length > 1 ? path[1] : null;
            if (id == null && method.equals("POST")) {
                upload(exchange);
            } else if (id == null && method.equals("GET")) {
                listFiles(exchange);
            } else if (id != null) {
                StoredFile file = files.get(id);
                if (file == null) {
                    send(exchange, 404, error("No such File object: " + id, "invalid_request_error", "id", null));
                } else if (path.length > 2 && path[2].equals("content") && method.equals("GET")) {
                    content(exchange, file);
                } else if (method.equals("GET")) {
                    send(exchange, 200, fileObject(file));
                } else if (method.equals("DELETE")) {
                    files.remove(id);
                    deletedOutputs.add(id);
                    send(exchange, 200, EmulatedMinutes.JSON.createObjectNode().put("id", id).put("object", "file").put("deleted", true));
                } else {
                    send(exchange, 405, error("Method not allowed", "invalid_request_error", null, null));
                }
            }
        }
    }

    private void upload(HttpExchange exchange) throws IOException {
        String type = exchange.getRequestHeaders().getFirst("content-type");
        int b = type == null ? -1 : type.indexOf("boundary=");
        if (b < 0 || !type.startsWith("multipart/form-data")) {
            send(exchange, 400, error("Expected multipart/form-data with a file and a purpose.", "invalid_request_error", null, null));
            return;
        }
        String boundary = type.substring(b + "boundary=".length()).replace("\"", "").strip();
        // byte-for-byte as ISO-8859-1, so the file's UTF-8 survives the split
        String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
        String purpose = null;
        String filename = null;
        String content = null;
        String anchor = null;
        String seconds = null;
        for (String part : raw.split("--" + java.util.regex.Pattern.quote(boundary))) {
            int headersEnd = part.indexOf("\r\n\r\n");
            if (headersEnd < 0) continue;
            String headers = part.substring(0, headersEnd);
            String value = part.substring(headersEnd + 4);
            if (value.endsWith("\r\n")) value = value.substring(0, value.length() - 2);
            if (headers.contains("name=\"purpose\"")) purpose = value.strip();
            if (headers.contains("name=\"expires_after[anchor]\"")) anchor = value.strip();
            if (headers.contains("name=\"expires_after[seconds]\"")) seconds = value.strip();
            if (headers.contains("name=\"file\"")) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(headers);
                filename = m.find() ? m.group(1) : "file";
                content = new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
            }
        }
        if (purpose == null || content == null) {
            send(exchange, 400, error("Missing required parameter: '" + (purpose == null ? "purpose" : "file") + "'.",
                    "invalid_request_error", purpose == null ? "purpose" : "file", null));
            return;
        }
        if (purpose.equals("batch") && !filename.endsWith(".jsonl")) {
            send(exchange, 400, error("Invalid file format for Batch API. Must be .jsonl", "invalid_request_error", null, null));
            return;
        }
        Duration expiresAfter;
        try {
            expiresAfter = expiresAfter(anchor, seconds, "expires_after");
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage(), "invalid_request_error", "expires_after", "invalid_value"));
            return;
        }
        if (expiresAfter == null && purpose.equals("batch")) expiresAfter = BATCH_FILE_DEFAULT_EXPIRY;
        StoredFile file = new StoredFile(nextId("file-"), filename, purpose, Instant.now(), content, null, false, expiresAfter);
        if (file.bytes() > MAX_FILE_BYTES) {
            send(exchange, 400, error("File is too large: a batch input file holds at most 200 MB.", "invalid_request_error", "file", null));
            return;
        }
        files.put(file.id(), file);
        send(exchange, 200, fileObject(file));
    }

    /** The files API's default expiry of a {@code purpose=batch} file. */
    private static final Duration BATCH_FILE_DEFAULT_EXPIRY = Duration.ofDays(30);

    /**
     * An expiry policy as the reference takes it ({@code anchor: created_at}, {@code seconds} from 3600 to 2592000);
     * null when neither is given; refused, naming {@code param}, otherwise.
     */
    private static Duration expiresAfter(String anchor, String seconds, String param) {
        if (anchor == null && seconds == null) return null;
        if (!"created_at".equals(anchor)) {
            throw new IllegalArgumentException("Invalid value for '" + param + ".anchor': '" + anchor + "'. Supported values are: 'created_at'.");
        }
        long s;
        try {
            s = Long.parseLong(String.valueOf(seconds));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Invalid type for '" + param + ".seconds': expected an integer, but got '" + seconds + "'.");
        }
        if (s < 3_600 || s > 2_592_000) {
            throw new IllegalArgumentException("Invalid '" + param + ".seconds': " + s + ". Expected a value between 3600 and 2592000.");
        }
        return Duration.ofSeconds(s);
    }

    /** How long after their creation the files of {@code purpose} held now expire (absent: a file that does not). */
    public Set<Duration> expiries(String purpose) {
        synchronized (files) {
            return files.values().stream().filter(f -> f.purpose().equals(purpose) && f.expiresAfter() != null)
                    .map(StoredFile::expiresAfter).collect(java.util.stream.Collectors.toSet());
        }
    }

    private void listFiles(HttpExchange exchange) throws IOException {
        Map<String, String> q = query(exchange);
        String purpose = q.get("purpose");
        int limit = Integer.parseInt(q.getOrDefault("limit", "10000"));
        String after = q.get("after");
        List<StoredFile> all;
        synchronized (files) {
            all = new ArrayList<>(files.values());
        }
        Collections.reverse(all); // newest first (order=desc, the default)
        List<StoredFile> page = new ArrayList<>();
        boolean started = after == null;
        boolean more = false;
        for (StoredFile f : all) {
            if (!started) {
                started = f.id().equals(after);
                continue;
            }
            if (purpose != null && !purpose.equals(f.purpose())) continue;
            if (page.size() == limit) {
                more = true;
                break;
            }
            page.add(f);
        }
        ObjectNode list = EmulatedMinutes.JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        page.forEach(f -> data.add(fileObject(f)));
        list.put("first_id", page.isEmpty() ? null : page.getFirst().id());
        list.put("last_id", page.isEmpty() ? null : page.getLast().id());
        list.put("has_more", more);
        send(exchange, 200, list);
    }

    private ObjectNode fileObject(StoredFile f) {
        return EmulatedMinutes.JSON.createObjectNode().put("id", f.id()).put("object", "file").put("bytes", f.bytes())
                .put("created_at", f.createdAt().getEpochSecond()).put("filename", f.filename()).put("purpose", f.purpose())
                .put("status", "processed").put("expires_at", f.expiresAfter() == null ? null
                        : f.createdAt().plus(f.expiresAfter()).getEpochSecond());
    }

    private void content(HttpExchange exchange, StoredFile file) throws IOException {
        if (file.text() != null) {
            byte[] bytes = file.text().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("content-type", "application/octet-stream");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            return;
        }
        EmulatedBatch batch = file.batch();
        long now = System.nanoTime();
        sendLines(exchange, "application/octet-stream", out -> outputLines(batch, now, file.errors(), out));
    }

    /** The lines of a batch's output file ({@code errors} false) or error file, made one at a time. */
    private void outputLines(EmulatedBatch batch, long now, boolean errors, Consumer<String> out) {
        int finished = batch.finished(now);
        EmulatedBatch.Phase phase = batch.phase(now);
        for (int i = 0; i < batch.lines.size(); i++) {
            EmulatedLine line = batch.lines.get(i);
            ObjectNode o = EmulatedMinutes.JSON.createObjectNode().put("id", "batch_req_" + batch.id + "_" + i)
                    .put("custom_id", line.customId());
            if (i < finished) {
                boolean failed = EmulatedBatch.failsAtProvider(line);
                if (failed != errors) continue;
                ObjectNode response = o.putObject("response");
                if (line.outcome() == EmulatedLine.Outcome.SERVER_ERROR) {
                    response.put("status_code", 500).put("request_id", "req_" + i)
                            .set("body", error("The server had an error processing your request.", "server_error", null, null));
                } else if (line.outcome() == EmulatedLine.Outcome.BAD_REQUEST) {
                    response.put("status_code", 400).put("request_id", "req_" + i)
                            .set("body", error("Invalid 'messages[1].content': string too long.", "invalid_request_error",
                                    "messages", "string_above_max_length"));
                } else {
                    response.put("status_code", 200).put("request_id", "req_" + i).set("body", completion(line, batch.model));
                }
                o.putNull("error");
            } else {
                if (!errors) continue;
                o.putNull("response");
                boolean expired = phase == EmulatedBatch.Phase.EXPIRED;
                o.putObject("error").put("code", expired ? "batch_expired" : "batch_cancelled")
                        .put("message", expired ? "This request could not be executed before the completion window expired."
                                : "This request was not executed because the batch was cancelled.");
            }
            out.accept(o.toString());
        }
    }

    private ObjectNode completion(EmulatedLine line, String model) {
        String content = EmulatedMinutes.of(line, answerPadding()).toString();
        ObjectNode c = EmulatedMinutes.JSON.createObjectNode().put("id", "chatcmpl-" + line.customId())
                .put("object", "chat.completion").put("created", Instant.now().getEpochSecond()).put("model", model);
        ObjectNode choice = c.putArray("choices").addObject().put("index", 0).put("finish_reason", "stop");
        choice.putObject("message").put("role", "assistant").put("content", content).putNull("refusal");
        long out = EmulatedMinutes.tokens(content);
        ObjectNode usage = c.putObject("usage").put("prompt_tokens", line.promptTokens()).put("completion_tokens", out)
                .put("total_tokens", line.promptTokens() + out);
        usage.putObject("prompt_tokens_details").put("cached_tokens", Math.min(cachedTokens, line.promptTokens()));
        return c;
    }

    // ---- batches

    private void batches(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) return;
            String[] path = exchange.getRequestURI().getPath().substring("/v1/batches".length()).split("/");
            String method = exchange.getRequestMethod();
            String id = path.length > 1 ? path[1] : null;
            long now = System.nanoTime();
            if (id == null && method.equals("POST")) {
                create(exchange, body(exchange));
                return;
            }
            if (id == null && method.equals("GET")) {
                listBatches(exchange, now);
                return;
            }
            EmulatedBatch batch = batches.get(id);
            if (batch == null || batch.fresh(now)) {
                send(exchange, 404, error("No batch found with id '" + id + "'.", "invalid_request_error", null, null));
                return;
            }
            if (path.length > 2 && path[2].equals("cancel") && method.equals("POST")) {
                if (!batch.cancel(now)) {
                    send(exchange, 409, error("Cannot cancel a batch with status '" + status(batch.phase(now)) + "'.",
                            "invalid_request_error", null, null));
                    return;
                }
                send(exchange, 200, batchObject(batch, now));
            } else if (method.equals("GET")) {
                send(exchange, 200, batchObject(batch, now));
            } else {
                send(exchange, 405, error("Method not allowed", "invalid_request_error", null, null));
            }
        }
    }

    private void create(HttpExchange exchange, String body) throws IOException {
        JsonNode req = json(body);
        if (req == null || !req.path("input_file_id").isTextual()) {
            send(exchange, 400, error("Missing required parameter: 'input_file_id'.", "invalid_request_error", "input_file_id", null));
            return;
        }
        if (!"/v1/chat/completions".equals(req.path("endpoint").asText()) && !"/v1/embeddings".equals(req.path("endpoint").asText())
                && !"/v1/completions".equals(req.path("endpoint").asText()) && !"/v1/responses".equals(req.path("endpoint").asText())) {
            send(exchange, 400, error("Invalid value for 'endpoint'.", "invalid_request_error", "endpoint", "invalid_value"));
            return;
        }
        if (!"24h".equals(req.path("completion_window").asText())) {
            send(exchange, 400, error("Invalid value for 'completion_window': only '24h' is supported.", "invalid_request_error",
                    "completion_window", "invalid_value"));
            return;
        }
        Duration outputExpiresAfter;
        try {
            JsonNode policy = req.path("output_expires_after");
            outputExpiresAfter = policy.isMissingNode() || policy.isNull() ? null : expiresAfter(
                    policy.path("anchor").isTextual() ? policy.path("anchor").asText() : null,
                    policy.path("seconds").isIntegralNumber() ? policy.path("seconds").asText() : policy.path("seconds").toString(),
                    "output_expires_after");
        } catch (IllegalArgumentException e) {
            send(exchange, 400, error(e.getMessage(), "invalid_request_error", "output_expires_after", "invalid_value"));
            return;
        }
        JsonNode metadata = req.path("metadata");
        if (metadata.isObject() && metadata.size() > 16) {
            send(exchange, 400, error("Invalid 'metadata': at most 16 keys.", "invalid_request_error", "metadata", null));
            return;
        }
        StoredFile input = files.get(req.path("input_file_id").asText());
        if (input == null || input.text() == null || !input.purpose().equals("batch")) {
            send(exchange, 400, error("Invalid 'input_file_id': '" + req.path("input_file_id").asText()
                    + "'. File must exist and have purpose 'batch'.", "invalid_request_error", "input_file_id", null));
            return;
        }
        String endpoint = req.path("endpoint").asText();
        List<EmulatedLine> lines = new ArrayList<>();
        EmulatedBatch.Refusal refusal = null;
        Set<String> seen = new HashSet<>();
        String model = null;
        String[] raw = input.text().split("\n");
        int number = 0;
        for (String text : raw) {
            number++;
            if (text.isBlank()) continue;
            JsonNode line = json(text);
            if (line == null || !line.isObject()) {
                refusal = new EmulatedBatch.Refusal("invalid_json_line", "This line is not parseable as valid JSON.", number);
                break;
            }
            String customId = line.path("custom_id").asText(null);
            if (customId == null || !line.path("body").isObject() || !line.path("method").isTextual()) {
                refusal = new EmulatedBatch.Refusal("missing_required_parameter", "Missing required parameter: '"
                        + (customId == null ? "custom_id" : !line.path("body").isObject() ? "body" : "method") + "'.", number);
                break;
            }
            if (!endpoint.equals(line.path("url").asText())) {
                refusal = new EmulatedBatch.Refusal("invalid_url", "The URL provided for this request does not match the batch endpoint.", number);
                break;
            }
            if (!seen.add(customId)) {
                refusal = new EmulatedBatch.Refusal("duplicate_custom_id", "The custom_id for this request is a duplicate of another request. "
                        + "The custom_id parameter must be unique for each request in a batch.", number);
                break;
            }
            String lineModel = line.path("body").path("model").asText(null);
            if (lineModel == null || (model != null && !model.equals(lineModel))) {
                refusal = new EmulatedBatch.Refusal("mismatched_model", "The provided model does not match the model of the other"
                        + " requests in the batch; a batch holds requests to one model.", number);
                break;
            }
            model = lineModel;
            lines.add(EmulatedLine.of(customId, userText(line.path("body")), text.length()));
        }
        if (refusal == null && lines.size() > MAX_LINES) {
            refusal = new EmulatedBatch.Refusal("too_many_requests", "The batch holds " + lines.size() + " requests; at most "
                    + MAX_LINES + " are allowed.", null);
        }
        if (refusal == null && lines.isEmpty()) refusal = new EmulatedBatch.Refusal("empty_file", "The input file is empty.", null);
        if (refusal == null) {
            long waiting = enqueued(model, System.nanoTime());
            long mine = lines.stream().mapToLong(EmulatedLine::promptTokens).sum();
            if (waiting + mine > enqueuedTokenLimit) {
                String message = "Enqueued token limit reached for " + model + " in organization org-emulator. Limit: "
                        + String.format(java.util.Locale.ROOT, "%,d", enqueuedTokenLimit)
                        + " enqueued tokens. Please try again once some in_progress batches have been completed.";
                if (enqueuedLimitAtCreate) {
                    send(exchange, 400, error(message, "invalid_request_error", null, "token_limit_exceeded"));
                    return;
                }
                refusal = new EmulatedBatch.Refusal("token_limit_exceeded", message, null);
            }
        }
        String key = metadata.path("minutes_key").asText(null);
        EmulatedBatch batch = newBatch(nextId("batch_"), key, model == null ? "unknown" : model, lines, refusal);
        inputs.put(batch.id, new BatchRequest(input.id(), endpoint, metadata.isObject() ? (ObjectNode) metadata.deepCopy() : null,
                outputExpiresAfter));
        send(exchange, 200, batchObject(batch, System.nanoTime()));
    }

    private final Map<String, BatchRequest> inputs = new java.util.concurrent.ConcurrentHashMap<>();

    private record BatchRequest(String inputFileId, String endpoint, ObjectNode metadata, Duration outputExpiresAfter) {
    }

    /** Prompt tokens of {@code model}'s batches waiting now (what the enqueued-token limit counts). */
    public long enqueuedTokens(String model) {
        return enqueued(model, System.nanoTime());
    }

    /** Prompt tokens of this model's batches not ended yet. */
    private long enqueued(String model, long now) {
        synchronized (batches) {
            return batches.values().stream().filter(b -> b.model.equals(model) && b.refusal == null && !b.phase(now).ended())
                    .mapToLong(EmulatedBatch::promptTokens).sum();
        }
    }

    private static String userText(JsonNode body) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode m : body.path("messages")) {
            if ("user".equals(m.path("role").asText())) sb.append(m.path("content").asText()).append('\n');
        }
        return sb.toString();
    }

    private void listBatches(HttpExchange exchange, long now) throws IOException {
        Map<String, String> q = query(exchange);
        int limit = Math.max(1, Math.min(100, Integer.parseInt(q.getOrDefault("limit", "20"))));
        String after = q.get("after");
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
        ObjectNode list = EmulatedMinutes.JSON.createObjectNode().put("object", "list");
        ArrayNode data = list.putArray("data");
        for (EmulatedBatch b : page) data.add(batchObject(b, now));
        list.put("first_id", page.isEmpty() ? null : page.getFirst().id);
        list.put("last_id", page.isEmpty() ? null : page.getLast().id);
        list.put("has_more", more);
        send(exchange, 200, list);
    }

    static String status(EmulatedBatch.Phase phase) {
        return phase.name().toLowerCase(java.util.Locale.ROOT);
    }

    private ObjectNode batchObject(EmulatedBatch batch, long now) {
        settle(batch, now);
        EmulatedBatch.Phase phase = batch.phase(now);
        BatchRequest request = inputs.getOrDefault(batch.id, new BatchRequest("file-preloaded", "/v1/chat/completions", null, null));
        ObjectNode b = EmulatedMinutes.JSON.createObjectNode().put("id", batch.id).put("object", "batch")
                .put("endpoint", request.endpoint()).put("model", batch.model);
        if (batch.refusal != null && phase == EmulatedBatch.Phase.FAILED) {
            ObjectNode errors = b.putObject("errors").put("object", "list");
            ObjectNode e = errors.putArray("data").addObject().put("code", batch.refusal.code()).put("message", batch.refusal.message())
                    .putNull("param");
            if (batch.refusal.line() == null) e.putNull("line");
            else e.put("line", batch.refusal.line());
        } else {
            b.putNull("errors");
        }
        b.put("input_file_id", request.inputFileId()).put("completion_window", "24h").put("status", status(phase));
        Instant ended = batch.endedAt(now);
        int finished = batch.finished(now);
        int errored = batch.errored(now);
        boolean ranLines = phase.ended() && phase != EmulatedBatch.Phase.FAILED;
        b.put("output_file_id", ranLines && finished - errored > 0 ? outputFile(batch, false) : null);
        b.put("error_file_id", ranLines && (errored > 0 || finished < batch.lines.size()) ? outputFile(batch, true) : null);
        long created = batch.createdAt.getEpochSecond();
        b.put("created_at", created);
        b.put("in_progress_at", batch.refusal == null && phase != EmulatedBatch.Phase.VALIDATING ? created : null);
        b.put("expires_at", created + batch.timing.window().toSeconds());
        b.put("finalizing_at", phase == EmulatedBatch.Phase.FINALIZING || phase == EmulatedBatch.Phase.COMPLETED ? created : null);
        b.put("completed_at", phase == EmulatedBatch.Phase.COMPLETED ? ended.getEpochSecond() : null);
        b.put("failed_at", phase == EmulatedBatch.Phase.FAILED ? ended.getEpochSecond() : null);
        b.put("expired_at", phase == EmulatedBatch.Phase.EXPIRED ? ended.getEpochSecond() : null);
        b.put("cancelling_at", batch.cancelRequested() ? batch.cancelledAt().getEpochSecond() : null);
        b.put("cancelled_at", phase == EmulatedBatch.Phase.CANCELLED ? ended.getEpochSecond() : null);
        b.putObject("request_counts").put("total", batch.refusal == null ? batch.lines.size() : 0)
                .put("completed", finished - errored).put("failed", errored);
        if (request.metadata() != null) b.set("metadata", request.metadata());
        else b.putNull("metadata");
        return b;
    }

    /** The id of a batch's output or error file, made the first time it is named. */
    private String outputFile(EmulatedBatch batch, boolean errors) {
        String id = "file-" + (errors ? "err-" : "out-") + batch.id;
        synchronized (files) {
            if (!batch.deleted && !files.containsKey(id) && !deletedOutputs.contains(id)) {
                BatchRequest request = inputs.get(batch.id);
                files.put(id, new StoredFile(id, batch.id + (errors ? "_error.jsonl" : "_output.jsonl"), "batch_output",
                        Instant.now(), null, batch, errors, request == null ? null : request.outputExpiresAfter()));
            }
        }
        return id;
    }

    /** Output files deleted by the client are not made again. */
    private final Set<String> deletedOutputs = Collections.synchronizedSet(new HashSet<>());

    // ---- realtime

    private void chat(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!authorized(exchange)) return;
            String text = body(exchange);
            JsonNode body = json(text);
            if (body == null || !body.path("messages").isArray() || !body.path("model").isTextual()) {
                send(exchange, 400, error("'messages' and 'model' are required.", "invalid_request_error", "messages", null));
                return;
            }
            if ("flex".equals(body.path("service_tier").asText())) {
                boolean refuse;
                synchronized (flexDice) {
                    refuse = flexRefuseNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0 || flexDice.nextDouble() < flexRefusedShare;
                }
                if (refuse) {
                    flexRefused.incrementAndGet();
                    java.time.Duration wait = flexRetryAfter;
                    if (wait != null) {
                        exchange.getResponseHeaders().set("retry-after", String.valueOf((wait.toMillis() + 999) / 1000));
                    }
                    send(exchange, 429, error("Resource unavailable: flex processing has no capacity for this request now;"
                            + " retry later or use the default service tier.", "resource_unavailable", null, "resource_unavailable"));
                    return;
                }
            }
            EmulatedLine line = EmulatedLine.of("realtime", userText(body), text.length());
            if (line.outcome() == EmulatedLine.Outcome.SERVER_ERROR) {
                send(exchange, 500, error("The server had an error processing your request.", "server_error", null, null));
                return;
            }
            answering();
            ObjectNode completion = completion(line, body.path("model").asText());
            String tier = body.path("service_tier").asText("default");
            completion.put("service_tier", tier.equals("auto") ? "default" : tier);
            answered(line);
            realtimeAnswered.incrementAndGet();
            if (tier.equals("flex")) flexAnswered.incrementAndGet();
            send(exchange, 200, completion);
        }
    }
}

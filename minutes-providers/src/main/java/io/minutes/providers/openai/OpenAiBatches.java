package io.minutes.providers.openai;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.domain.Failure;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.ProviderBatches;
import io.minutes.providers.batch.LineAnswers;
import io.minutes.providers.batch.RecentBatches;
import io.minutes.providers.http.ErrorKind;
import io.minutes.providers.http.ProviderException;
import io.minutes.providers.http.ProviderHttp;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * OpenAI's Batch API: the lines are uploaded as one JSONL file ({@code POST /files}, {@code purpose=batch}, named
 * after the key so a second {@link #stage} after a crash finds it), the batch is created over it
 * ({@code POST /batches}, {@code /v1/chat/completions}, {@code 24h}, {@code metadata.minutes_key}), read
 * ({@code GET /batches/{id}}), found by key after a crash ({@code GET /batches}, newest first, down to the
 * intent's time), cancelled, and its output and error files read line by line as they stream
 * ({@code GET /files/{id}/content}) and deleted with the input ({@code DELETE /files/{id}}).
 *
 * <p>Every file is also given an expiry from the retention setting ({@link FileExpiry}): the upload carries
 * {@code expires_after} and the create {@code output_expires_after}, so what a crash or a failed delete leaves at
 * the provider is gone by then without Minutes.
 *
 * <p>Each line's body is exactly what {@link OpenAiChat} sends in realtime, and its answer is read and validated
 * by the same code. Expired and cancelled lines ({@code batch_expired}, {@code batch_cancelled} in the error
 * file) are {@code NotRun}; a batch failed for {@code token_limit_exceeded} is {@code FAILED} with
 * {@code ENQUEUED_TOKENS_FULL}.
 */
public final class OpenAiBatches implements ProviderBatches {
    public static final String KEY_METADATA = "minutes_key";
    static final String ENDPOINT = "/v1/chat/completions";
    /** The provider's limits for one batch (platform.openai.com/docs/guides/batch). */
    public static final int MAX_LINES = 50_000;
    public static final long MAX_BYTES = 200L * 1024 * 1024;
    private static final int PAGE = 100;

    private final OpenAiChat chat;
    private final LineAnswers answers;
    private final ProviderHttp http;
    private final String base;
    private final Map<String, String> headers;
    private final Limits limits;
    private final RecentBatches recent;
    private final FileExpiry expiry;

    /**
     * How long the provider keeps the files of a batch when Minutes does not delete them (it deletes them once the
     * output is read): the retention setting, clamped to what the Files API accepts ({@code seconds} between
     * {@link #MIN_SECONDS} and {@link #MAX_SECONDS}, anchored at the file's creation); a retention of 0 (keep
     * forever) is the longest, 30 days, which is also the provider's default for batch files. The input file
     * is kept at least {@link #INPUT_MIN_SECONDS}: the batch's 24 h window and an hour, so it outlives the batch.
     */
    public record FileExpiry(long inputSeconds, long outputSeconds) {
        public static final long MIN_SECONDS = 3_600;
        public static final long MAX_SECONDS = 2_592_000;
        public static final long INPUT_MIN_SECONDS = 25 * 3_600;

        public static FileExpiry of(java.time.Duration retention) {
            long seconds = retention == null || retention.isZero() ? MAX_SECONDS
                    : Math.clamp(retention.toSeconds(), MIN_SECONDS, MAX_SECONDS);
            return new FileExpiry(Math.max(seconds, INPUT_MIN_SECONDS), seconds);
        }
    }

    /**
     * {@code enqueuedTokenLimit}: the prompt tokens this model's batches may hold waiting (OpenAI states it per
     * model and usage tier, e.g. 2,000,000 for gpt-4o-mini at tier 1; 0 when not known); {@code expiry}: how long
     * the provider keeps the files Minutes does not delete.
     */
    public OpenAiBatches(OpenAiChat.Settings settings, OpenAiChat chat, LineAnswers answers, ProviderHttp http,
                         long enqueuedTokenLimit, RecentBatches recent, FileExpiry expiry) {
        this.chat = chat;
        this.answers = answers;
        this.http = http;
        this.base = settings.baseUrl();
        this.headers = OpenAiChat.authHeaders(settings);
        this.limits = new Limits(MAX_LINES, MAX_BYTES, enqueuedTokenLimit);
        this.recent = recent;
        this.expiry = java.util.Objects.requireNonNull(expiry, "expiry");
    }

    @Override
    public String provider() {
        return http.provider();
    }

    @Override
    public String model() {
        return chat.model();
    }

    @Override
    public Limits limits() {
        return limits;
    }

    private URI uri(String path) {
        return OpenAiChat.endpoint(base, path);
    }

    @Override
    public Optional<Line> line(String customId, Analyzer.Request request) {
        return answers.request(request).map(r -> {
            ObjectNode line = ProviderHttp.JSON.createObjectNode();
            line.put("custom_id", customId).put("method", "POST").put("url", ENDPOINT).set("body", r.body());
            return new Line(customId, line.toString(), r.inputTokens(), r.maxOutputTokens(), r.maxCostUsd());
        });
    }

    /** The name of the input file of {@code key}: how a second {@link #stage} finds the first upload. */
    static String fileName(String key) {
        return "minutes-" + key.replaceAll("[^A-Za-z0-9_.-]", "_") + ".jsonl";
    }

    @Override
    public String stage(String key, List<Line> lines) throws AnalyzerException {
        LineAnswers.refuseDuplicates(lines);
        LineAnswers.checkLimits(provider(), lines, limits);
        long bytes = 0;
        for (Line l : lines) bytes += l.json().getBytes(StandardCharsets.UTF_8).length + 1;
        Optional<String> earlier = uploaded(fileName(key), bytes);
        if (earlier.isPresent()) return earlier.get();
        String boundary = "minutes-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>(lines.size() + 2);
        parts.add(HttpRequest.BodyPublishers.ofString(field(boundary, "purpose", "batch")
                + field(boundary, "expires_after[anchor]", "created_at")
                + field(boundary, "expires_after[seconds]", Long.toString(expiry.inputSeconds()))
                + "--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName(key)
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n", StandardCharsets.UTF_8));
        for (Line l : lines) parts.add(HttpRequest.BodyPublishers.ofString(l.json() + "\n", StandardCharsets.UTF_8));
        parts.add(HttpRequest.BodyPublishers.ofString("\r\n--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpRequest.Builder upload = HttpRequest.newBuilder(uri("/files"))
                .header("content-type", "multipart/form-data; boundary=" + boundary).header("accept", "application/json")
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)));
        headers.forEach(upload::header);
        return http.send(upload).json().path("id").asText();
    }

    private static String field(String boundary, String name, String value) {
        return "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
    }

    /** The input file uploaded earlier under {@code name} with {@code bytes}, if the provider still holds it. */
    private Optional<String> uploaded(String name, long bytes) throws ProviderException {
        String after = null;
        while (true) {
            JsonNode page = http.get(uri("/files?purpose=batch&limit=" + 1000 + (after == null ? "" : "&after=" + enc(after))), headers).json();
            for (JsonNode f : page.path("data")) {
                if (name.equals(f.path("filename").asText()) && f.path("bytes").asLong() == bytes) return Optional.of(f.path("id").asText());
            }
            if (!page.path("has_more").asBoolean(false) || page.path("data").isEmpty()) return Optional.empty();
            after = page.path("data").get(page.path("data").size() - 1).path("id").asText();
        }
    }

    @Override
    public Remote create(String key, String staged, List<Line> lines) throws AnalyzerException {
        LineAnswers.refuseDuplicates(lines);
        ObjectNode body = ProviderHttp.JSON.createObjectNode();
        body.put("input_file_id", staged).put("endpoint", ENDPOINT).put("completion_window", "24h");
        body.putObject("metadata").put(KEY_METADATA, key);
        body.putObject("output_expires_after").put("anchor", "created_at").put("seconds", expiry.outputSeconds());
        return remote(http.postJson(uri("/batches"), headers, body).json());
    }

    @Override
    public Optional<Remote> find(String key, Instant notBefore, int lineCount) throws AnalyzerException {
        // created_at is in whole seconds, and clocks differ a little: look a minute further back
        long oldest = notBefore.minusSeconds(60).getEpochSecond();
        String after = null;
        while (true) {
            JsonNode page = http.get(uri("/batches?limit=" + PAGE + (after == null ? "" : "&after=" + enc(after))), headers).json();
            for (JsonNode b : page.path("data")) {
                if (key.equals(b.path("metadata").path(KEY_METADATA).asText(null))) return Optional.of(remote(b));
                if (b.path("created_at").asLong(Long.MAX_VALUE) < oldest) return Optional.empty();
            }
            if (!page.path("has_more").asBoolean(false) || page.path("data").isEmpty()) return Optional.empty();
            after = page.path("data").get(page.path("data").size() - 1).path("id").asText();
        }
    }

    @Override
    public Remote status(String remoteId) throws AnalyzerException {
        return remote(batch(remoteId));
    }

    private JsonNode batch(String remoteId) throws ProviderException {
        try {
            return http.get(uri("/batches/" + enc(remoteId)), headers).json();
        } catch (ProviderException e) {
            throw recent.notFound(remoteId, e);
        }
    }

    @Override
    public Remote cancel(String remoteId) throws AnalyzerException {
        try {
            return remote(http.postJson(uri("/batches/" + enc(remoteId) + "/cancel"), headers,
                    ProviderHttp.JSON.createObjectNode()).json());
        } catch (ProviderException e) {
            if (e.status() == 404) throw recent.notFound(remoteId, e);
            // too late to cancel (finalizing or ended): the batch as it is
            if (e.status() == 400 || e.status() == 409) return status(remoteId);
            throw e;
        }
    }

    @Override
    public void results(Remote remote, Consumer<LineResult> each) throws AnalyzerException {
        results(remote, id -> null, each);
    }

    @Override
    public void results(Remote remote, Function<String, Analyzer.Request> requestFor, Consumer<LineResult> each)
            throws AnalyzerException {
        JsonNode batch = batch(remote.id());
        if (!remote(batch).status().ended()) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.SERVER_ERROR, 0, provider() + ": batch " + remote.id()
                    + " has not ended (" + batch.path("status").asText() + "); its results come when it has", null);
        }
        for (String file : List.of("output_file_id", "error_file_id")) {
            String id = batch.path(file).asText(null);
            if (id == null || id.isBlank()) continue;
            http.lines(uri("/files/" + enc(id) + "/content"), headers, line -> each.accept(result(line, requestFor)));
        }
    }

    /** One line of an output or error file. */
    private LineResult result(String text, Function<String, Analyzer.Request> requestFor) throws ProviderException {
        JsonNode line;
        try {
            line = ProviderHttp.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INVALID_ANSWER, 200, provider()
                    + ": a line of a batch result file is not JSON (" + e.getOriginalMessage() + ")", null);
        }
        String customId = line.path("custom_id").asText();
        JsonNode response = line.path("response");
        if (response.isObject()) {
            int status = response.path("status_code").asInt(0);
            JsonNode body = response.path("body");
            if (status >= 200 && status < 300) {
                return answers.answered(customId, body, requestFor.apply(customId));
            }
            return answers.errored(customId, status, body.toString());
        }
        JsonNode error = line.path("error");
        String code = error.path("code").asText("");
        String message = error.path("message").asText("");
        if (code.equals("batch_expired") || code.equals("batch_cancelled")) {
            return new LineResult.NotRun(customId, code + (message.isEmpty() ? "" : ": " + message));
        }
        return new LineResult.Errored(customId, Failure.of(Failure.Cause.SERVER_ERROR, provider() + ": the batch line failed ("
                + (code.isEmpty() ? "no code" : code) + (message.isEmpty() ? "" : ": " + message) + ")"));
    }

    @Override
    public void discard(Remote remote) throws AnalyzerException {
        JsonNode batch = batch(remote.id());
        for (String file : List.of("input_file_id", "output_file_id", "error_file_id")) {
            String id = batch.path(file).asText(null);
            if (id == null || id.isBlank()) continue;
            try {
                http.delete(uri("/files/" + enc(id)), headers);
            } catch (ProviderException e) {
                if (e.status() != 404) throw e;
            }
        }
    }

    /** The batch object as the port sees it. */
    Remote remote(JsonNode b) {
        String status = b.path("status").asText("");
        Status s = switch (status) {
            case "validating" -> Status.VALIDATING;
            case "in_progress" -> Status.IN_PROGRESS;
            case "finalizing" -> Status.FINALIZING;
            case "cancelling" -> Status.CANCELLING;
            case "completed" -> Status.COMPLETED;
            case "expired" -> Status.EXPIRED;
            case "cancelled" -> Status.CANCELLED;
            case "failed" -> Status.FAILED;
            default -> throw new IllegalStateException(provider() + " reported batch status '" + status + "', which this client does not know");
        };
        JsonNode counts = b.path("request_counts");
        int total = counts.path("total").asInt(0);
        int succeeded = counts.path("completed").asInt(0);
        int errored = counts.path("failed").asInt(0);
        int notRun = s == Status.EXPIRED || s == Status.CANCELLED ? Math.max(0, total - succeeded - errored) : 0;
        String failure = null;
        Failure.Cause cause = null;
        if (s == Status.FAILED) {
            List<String> said = new ArrayList<>();
            boolean enqueuedFull = false;
            for (JsonNode e : b.path("errors").path("data")) {
                String code = e.path("code").asText("");
                enqueuedFull |= code.equals("token_limit_exceeded");
                said.add((e.path("line").isNumber() ? "line " + e.path("line").asInt() + ": " : "") + code + ": " + e.path("message").asText(""));
            }
            cause = enqueuedFull ? Failure.Cause.ENQUEUED_TOKENS_FULL : Failure.Cause.REFUSED_REQUEST;
            failure = provider() + " failed batch " + b.path("id").asText() + (said.isEmpty() ? "" : ": " + String.join("; ", said));
        }
        Instant created = b.path("created_at").isNumber() ? Instant.ofEpochSecond(b.path("created_at").asLong()) : null;
        Instant expires = b.path("expires_at").isNumber() ? Instant.ofEpochSecond(b.path("expires_at").asLong()) : null;
        String id = b.path("id").asText();
        recent.seen(id, created);
        return new Remote(id, b.path("metadata").path(KEY_METADATA).asText(null), s, new Counts(total, succeeded, errored, notRun),
                created, expires, failure, cause);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "OpenAiBatches[" + provider() + ", " + model().toLowerCase(Locale.ROOT) + "]";
    }
}

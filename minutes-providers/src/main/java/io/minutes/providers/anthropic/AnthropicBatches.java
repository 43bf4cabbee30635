package io.minutes.providers.anthropic;

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
import io.minutes.providers.openai.OpenAiChat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Anthropic's Message Batches ({@code /v1/messages/batches}): the lines go inline ({@code requests: [{custom_id,
 * params}]}, params exactly the realtime forced-tool request of {@link AnthropicChat}), the batch is read,
 * cancelled, its results streamed as JSONL from {@code results_url} once it has ended (succeeded, errored,
 * canceled, expired), and deleted after download.
 *
 * <p>Anthropic batches carry no metadata, so the key travels in every custom id: each line is sent as
 * {@code k<8 hex of the key's SHA-256>_<custom id>} (Anthropic allows {@code ^[a-zA-Z0-9_-]{1,64}$}, so the meeting's
 * own id may take 54). {@link #find} lists the batches created since the intent with the same number of lines (the
 * list shows no custom ids, and a batch's results, which do, are readable only once it has ended): an ended one is
 * ours only when its first result carries the key's tag; a running one is taken only when it is the one such batch
 * not yet told apart. With two or more running, find waits (a transient failure) until they end and their results
 * say which is whose, rather than guess. What remains: when this intent's create never reached Anthropic and exactly
 * one other running batch with the same number of lines was created after the intent (by another node's intent, or
 * another client of the same workspace), that one is taken for it until it ends; its results then carry another tag,
 * are refused before any meeting is finished, and this intent's meetings go to the realtime lane (answered once;
 * the other batch is neither read for them nor deleted).
 */
public final class AnthropicBatches implements ProviderBatches {
    /** The provider's limits for one batch (docs.anthropic.com, batch processing). */
    public static final int MAX_LINES = 100_000;
    public static final long MAX_BYTES = 256L * 1024 * 1024;
    static final Pattern CUSTOM_ID = Pattern.compile("[a-zA-Z0-9_-]{1,54}");
    private static final int PAGE = 100;

    private final AnthropicChat chat;
    private final LineAnswers answers;
    private final ProviderHttp http;
    private final URI batches;
    private final Map<String, String> headers;
    private final RecentBatches recent;

    public AnthropicBatches(AnthropicChat.Settings settings, AnthropicChat chat, LineAnswers answers, ProviderHttp http,
                            RecentBatches recent) {
        this.chat = chat;
        this.answers = answers;
        this.http = http;
        this.recent = recent;
        this.batches = AnthropicChat.endpoint(settings, "/messages/batches");
        this.headers = AnthropicChat.headers(settings);
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
        return new Limits(MAX_LINES, MAX_BYTES, 0);
    }

    private URI uri(String suffix) {
        return URI.create(batches + suffix);
    }

    @Override
    public Optional<Line> line(String customId, Analyzer.Request request) {
        if (!CUSTOM_ID.matcher(customId).matches()) {
            throw new IllegalArgumentException("custom id '" + customId + "' cannot go to " + provider()
                    + ": it must be 1 to 54 letters, digits, '_' or '-' (the key's tag takes the rest of Anthropic's 64)");
        }
        return answers.request(request).map(r -> {
            ObjectNode line = ProviderHttp.JSON.createObjectNode();
            line.put("custom_id", customId).set("params", r.body());
            return new Line(customId, line.toString(), r.inputTokens(), r.maxOutputTokens(), r.maxCostUsd());
        });
    }

    /** The key's tag, put before every custom id of its batch. */
    static String tag(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "k" + HexFormat.of().formatHex(digest, 0, 4) + "_";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String stage(String key, List<Line> lines) {
        return null; // the lines go inline with create
    }

    @Override
    public Remote create(String key, String staged, List<Line> lines) throws AnalyzerException {
        LineAnswers.refuseDuplicates(lines);
        LineAnswers.checkLimits(provider(), lines, limits());
        String tag = tag(key);
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>(lines.size() * 2 + 1);
        parts.add(HttpRequest.BodyPublishers.ofString("{\"requests\":["));
        for (int i = 0; i < lines.size(); i++) {
            ObjectNode line;
            try {
                line = (ObjectNode) ProviderHttp.JSON.readTree(lines.get(i).json());
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("line " + lines.get(i).customId() + " is not JSON", e);
            }
            line.put("custom_id", tag + lines.get(i).customId());
            parts.add(HttpRequest.BodyPublishers.ofString((i == 0 ? "" : ",") + line, StandardCharsets.UTF_8));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("]}"));
        HttpRequest.Builder request = HttpRequest.newBuilder(batches).header("content-type", "application/json")
                .header("accept", "application/json").POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new)));
        headers.forEach(request::header);
        return remote(http.send(request).json(), key);
    }

    @Override
    public Optional<Remote> find(String key, Instant notBefore, int lineCount) throws AnalyzerException {
        Instant oldest = notBefore.minusSeconds(5); // clocks differ a little
        List<JsonNode> candidates = new ArrayList<>();
        String after = null;
        scan:
        while (true) {
            JsonNode page = http.get(uri("?limit=" + PAGE + (after == null ? "" : "&after_id=" + enc(after))), headers).json();
            for (JsonNode b : page.path("data")) {
                Instant created = instant(b.path("created_at"));
                if (created != null && created.isBefore(oldest)) break scan;
                if (total(b.path("request_counts")) == lineCount) candidates.add(b);
            }
            if (!page.path("has_more").asBoolean(false) || page.path("data").isEmpty()) break;
            after = page.path("last_id").asText(page.path("data").get(page.path("data").size() - 1).path("id").asText());
        }
        String tag = tag(key);
        List<JsonNode> unconfirmed = new ArrayList<>();
        for (JsonNode b : candidates) {
            if ("ended".equals(b.path("processing_status").asText())) {
                String first = firstCustomId(b);
                if (first != null && first.startsWith(tag)) return Optional.of(remote(b, key));
                if (first != null) continue; // another intent's batch
            }
            unconfirmed.add(b);
        }
        if (unconfirmed.size() <= 1) return unconfirmed.stream().findFirst().map(b -> remote(b, key));
        // a running batch's custom ids cannot be read: adopting one of several would be a guess, and a wrong guess
        // leaves this intent's own batch unread (paid for, never collected). Nothing is created meanwhile either.
        throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.SERVER_ERROR, 0, provider() + ": "
                + unconfirmed.size() + " message batches of " + lineCount + " requests were created since intent " + key
                + " and are still running (" + String.join(", ", unconfirmed.stream().map(b -> b.path("id").asText()).toList())
                + "); Anthropic batches carry no metadata, so which one (if any) carries this intent's key is read from their"
                + " results once they have ended. Waiting for that; nothing is created meanwhile", null);
    }

    /** The custom id of the first result of an ended batch (null when it has none). */
    private String firstCustomId(JsonNode batch) throws ProviderException {
        String url = batch.path("results_url").asText(null);
        if (url == null) return null;
        String[] first = new String[1];
        try {
            http.lines(URI.create(url), headers, line -> {
                first[0] = readJson(line).path("custom_id").asText(null);
                throw new FirstLineRead();
            });
        } catch (FirstLineRead read) {
            // enough read
        }
        return first[0];
    }

    /** Stops a results stream after its first line. */
    private static final class FirstLineRead extends ProviderException {
        FirstLineRead() {
            super(ErrorKind.TRANSIENT, Failure.Cause.LOCAL_TRANSIENT, 0, "first line read", null);
        }
    }

    @Override
    public Remote status(String remoteId) throws AnalyzerException {
        return remote(batch(remoteId), null);
    }

    private JsonNode batch(String remoteId) throws ProviderException {
        try {
            return http.get(uri("/" + enc(remoteId)), headers).json();
        } catch (ProviderException e) {
            throw recent.notFound(remoteId, e);
        }
    }

    @Override
    public Remote cancel(String remoteId) throws AnalyzerException {
        try {
            return remote(http.postJson(uri("/" + enc(remoteId) + "/cancel"), headers, ProviderHttp.JSON.createObjectNode()).json(), null);
        } catch (ProviderException e) {
            throw recent.notFound(remoteId, e);
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
        String url = batch.path("results_url").asText(null);
        if (!"ended".equals(batch.path("processing_status").asText()) || url == null) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.SERVER_ERROR, 0, provider() + ": batch " + remote.id()
                    + " has not ended (" + batch.path("processing_status").asText() + "); its results come when it has", null);
        }
        String tag = remote.key() == null ? null : tag(remote.key());
        http.lines(URI.create(url), headers, text -> {
            JsonNode line = readJson(text);
            String wire = line.path("custom_id").asText();
            if (tag != null && !wire.startsWith(tag)) {
                throw new ProviderException(ErrorKind.PERMANENT, Failure.Cause.REFUSED_REQUEST, 0, provider() + ": batch "
                        + remote.id() + " holds line '" + wire + "', which was not sent for this intent (" + remote.key()
                        + "): it is another intent's batch", null);
            }
            int underscore = wire.indexOf('_');
            String customId = wire.startsWith("k") && underscore == 9 ? wire.substring(underscore + 1) : wire;
            each.accept(result(customId, line.path("result"), requestFor));
        });
    }

    private LineResult result(String customId, JsonNode result, Function<String, Analyzer.Request> requestFor) {
        String type = result.path("type").asText("");
        return switch (type) {
            case "succeeded" -> answers.answered(customId, result.path("message"), requestFor.apply(customId));
            case "errored" -> {
                JsonNode error = result.path("error");
                yield answers.errored(customId, httpStatusOf(error.path("error").path("type").asText(error.path("type").asText(""))), error.toString());
            }
            case "canceled", "expired" -> new LineResult.NotRun(customId, type);
            default -> new LineResult.Errored(customId, Failure.of(Failure.Cause.SERVER_ERROR, provider()
                    + ": a batch result of type '" + type + "', which this client does not know"));
        };
    }

    /** The HTTP status Anthropic gives each error type (docs.anthropic.com, errors), so the error table reads it as a call's. */
    static int httpStatusOf(String errorType) {
        return switch (errorType) {
            case "invalid_request_error" -> 400;
            case "authentication_error" -> 401;
            case "billing_error" -> 402;
            case "permission_error" -> 403;
            case "not_found_error" -> 404;
            case "request_too_large" -> 413;
            case "rate_limit_error" -> 429;
            case "overloaded_error" -> 529;
            case "timeout_error" -> 504;
            default -> 500; // api_error and anything new: the provider's side
        };
    }

    /**
     * Deletes the message batch and its results (Anthropic allows it once the batch has ended; it has no expiry to
     * set: what is not deleted stays readable 29 days after the batch's creation). Done when Anthropic answers that
     * it deleted it ({@code type: message_batch_deleted}) or no longer knows it (404).
     */
    @Override
    public void discard(Remote remote) throws AnalyzerException {
        JsonNode answer;
        try {
            answer = http.delete(uri("/" + enc(remote.id())), headers).json();
        } catch (ProviderException e) {
            if (e.status() == 404) return;
            throw e;
        }
        if (!"message_batch_deleted".equals(answer.path("type").asText()) || !remote.id().equals(answer.path("id").asText())) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INVALID_ANSWER, 200, provider() + ": deleting message batch "
                    + remote.id() + " was answered without saying it was deleted (" + answer + "); it may still hold the results", null);
        }
    }

    private Remote remote(JsonNode b, String key) {
        String processing = b.path("processing_status").asText("");
        JsonNode counts = b.path("request_counts");
        int canceled = counts.path("canceled").asInt(0);
        int expired = counts.path("expired").asInt(0);
        Status s = switch (processing) {
            case "in_progress" -> Status.IN_PROGRESS;
            case "canceling" -> Status.CANCELLING;
            case "ended" -> !b.path("cancel_initiated_at").isNull() && b.has("cancel_initiated_at") ? Status.CANCELLED
                    : expired > 0 ? Status.EXPIRED : canceled > 0 ? Status.CANCELLED : Status.COMPLETED;
            default -> throw new IllegalStateException(provider() + " reported processing_status '" + processing
                    + "', which this client does not know");
        };
        Instant created = instant(b.path("created_at"));
        String id = b.path("id").asText();
        recent.seen(id, created);
        return new Remote(id, key, s, new Counts(total(counts), counts.path("succeeded").asInt(0), counts.path("errored").asInt(0),
                canceled + expired), created, instant(b.path("expires_at")), null, null);
    }

    private static int total(JsonNode counts) {
        return counts.path("processing").asInt(0) + counts.path("succeeded").asInt(0) + counts.path("errored").asInt(0)
                + counts.path("canceled").asInt(0) + counts.path("expired").asInt(0);
    }

    private static Instant instant(JsonNode n) {
        return n.isTextual() ? Instant.parse(n.asText()) : null;
    }

    private JsonNode readJson(String text) throws ProviderException {
        try {
            return ProviderHttp.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProviderException(ErrorKind.TRANSIENT, Failure.Cause.INVALID_ANSWER, 200, provider()
                    + ": a line of a batch's results is not JSON (" + e.getOriginalMessage() + ")", null);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

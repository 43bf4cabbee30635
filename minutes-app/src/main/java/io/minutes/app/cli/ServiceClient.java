package io.minutes.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.app.output.Json;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.ProgressEvent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** The CLI's side of the HTTP API: upload files, read a batch, follow its events. */
final class ServiceClient {
    /** An answer other than 2xx, with the problem's code and detail. */
    static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    private final URI base;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServiceClient(String base, String apiKey) {
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.substring(1)));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    /** Uploads the files as one multipart request, streamed from disk. @return the answer's JSON */
    JsonNode upload(List<Inputs.InputFile> files, String tier, String onDuplicate) throws IOException, InterruptedException, ApiError {
        String boundary = "minutes-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        if (tier != null) parts.add(field(boundary, "tier", tier));
        if (onDuplicate != null) parts.add(field(boundary, "on_duplicate", onDuplicate));
        for (Inputs.InputFile file : files) {
            String name = file.source().replace('"', '_').replace("\r", "").replace("\n", "");
            parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\""
                    + name + "\"\r\nContent-Type: application/octet-stream\r\n\r\n", StandardCharsets.UTF_8));
            parts.add(HttpRequest.BodyPublishers.ofFile(file.path()));
            parts.add(HttpRequest.BodyPublishers.ofString("\r\n", StandardCharsets.UTF_8));
        }
        parts.add(HttpRequest.BodyPublishers.ofString("--" + boundary + "--\r\n", StandardCharsets.UTF_8));
        HttpRequest req = request("/api/v1/meetings/batch/upload")
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.concat(parts.toArray(HttpRequest.BodyPublisher[]::new))).build();
        return send(req);
    }

    private static HttpRequest.BodyPublisher field(String boundary, String name, String value) {
        return HttpRequest.BodyPublishers.ofString("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name
                + "\"\r\n\r\n" + value + "\r\n", StandardCharsets.UTF_8);
    }

    JsonNode batch(String id) throws IOException, InterruptedException, ApiError {
        return send(request("/api/v1/meetings/batch/" + id).GET().build());
    }

    private JsonNode send(HttpRequest req) throws IOException, InterruptedException, ApiError {
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString());
        JsonNode body = res.body().isBlank() ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(res.body());
        if (res.statusCode() / 100 != 2) {
            String code = body.path("code").asText("HTTP_" + res.statusCode());
            throw new ApiError(res.statusCode(), code + ": " + body.path("detail").asText(res.body())
                    + errors(body));
        }
        return body;
    }

    private static String errors(JsonNode problem) {
        StringBuilder s = new StringBuilder();
        for (JsonNode e : problem.path("errors")) s.append("\n  ").append(e.path("pointer").asText()).append(": ").append(e.path("detail").asText());
        return s.toString();
    }

    /**
     * Follows the batch's server-sent events until {@code done}, handing each meeting event to
     * {@code events}. @return the final counts
     */
    BatchCounts follow(String batchId, Consumer<ProgressEvent> events) throws IOException, InterruptedException, ApiError {
        HttpRequest req = request("/api/v1/meetings/batch/" + batchId + "/events").header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> res = http.send(req, HttpResponse.BodyHandlers.ofLines());
        if (res.statusCode() != 200) {
            res.body().close();
            throw new ApiError(res.statusCode(), "cannot follow batch " + batchId + ": HTTP " + res.statusCode());
        }
        String event = null;
        BatchCounts last = BatchCounts.EMPTY;
        try (Stream<String> lines = res.body()) {
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event: ")) {
                    event = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    JsonNode data = Json.MAPPER.readTree(line.substring(6));
                    if ("meeting".equals(event)) {
                        events.accept(progressEvent(data));
                    } else {
                        last = counts(data);
                        if ("done".equals(event)) return last;
                    }
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return last;
    }

    static BatchCounts counts(JsonNode c) {
        return new BatchCounts(c.path("queued").asInt(), c.path("processing").asInt(), c.path("completed").asInt(),
                c.path("failed").asInt(), c.path("skipped").asInt(), c.path("cancelled").asInt());
    }

    private static ProgressEvent progressEvent(JsonNode e) {
        String error = e.path("error").isTextual() ? e.path("error").asText() : null;
        MeetingState state = MeetingState.fromWire(e.path("status").asText());
        Failure failure = error == null ? null
                : state == MeetingState.QUEUED ? Failure.transientFailure(error) : Failure.permanent(error);
        return new ProgressEvent(e.path("batch_id").asText(), e.path("meeting_id").asText(), e.path("index").asInt(),
                e.path("title").asText(), state, e.path("attempt").asInt(), failure, counts(e.path("counts")));
    }

}

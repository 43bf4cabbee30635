package io.minutes.app.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.app.output.Json;
import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.ingest.InputFile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The CLI's side of the HTTP API: upload files, read a batch, follow it (its events, or polling). */
final class ServiceClient {
    /** An answer other than 2xx, with the problem's code and detail. */
    static final class ApiError extends Exception {
        final int status;

        ApiError(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The service sends a progress event at least every 5 s; three times that without one, the stream is held back. */
    static final Duration EVENTS_SILENCE = Duration.ofSeconds(15);
    /** How often a batch is read when its events cannot be followed (the service renders it at most every 250 ms). */
    static final Duration POLL_EVERY = Duration.ofSeconds(1);

    private final URI base;
    private final String apiKey;
    private final Duration silence;
    private final Duration pollEvery;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    ServiceClient(String base, String apiKey) {
        this(base, apiKey, EVENTS_SILENCE, POLL_EVERY);
    }

    ServiceClient(String base, String apiKey, Duration silence, Duration pollEvery) {
        this.base = URI.create(base.endsWith("/") ? base : base + "/");
        this.apiKey = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        this.silence = silence;
        this.pollEvery = pollEvery;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path.substring(1)));
        if (apiKey != null) b.header("Authorization", "Bearer " + apiKey);
        return b;
    }

    /**
     * Uploads the files as one multipart request, streamed from disk, with the batch's {@code options}
     * (the API's JSON options: priority, max_attempts, budget_usd, allow_over_budget) when there are any.
     * @return the answer's JSON
     */
    JsonNode upload(List<InputFile> files, String tier, String onDuplicate, JsonNode options)
            throws IOException, InterruptedException, ApiError {
        String boundary = "minutes-" + UUID.randomUUID();
        List<HttpRequest.BodyPublisher> parts = new ArrayList<>();
        if (tier != null) parts.add(field(boundary, "tier", tier));
        if (onDuplicate != null) parts.add(field(boundary, "on_duplicate", onDuplicate));
        if (options != null && !options.isEmpty()) parts.add(field(boundary, "options", options.toString()));
        for (InputFile file : files) {
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
            String detail = res.statusCode() == 401
                    ? (apiKey == null ? "this service needs an API key: set MINUTES_API_KEY to one"
                            + " ('minutes keys create --tenant NAME' with the service's --db makes one)"
                            : "the service refused the API key in MINUTES_API_KEY: " + body.path("detail").asText(res.body()))
                    : body.path("detail").asText(res.body());
            throw new ApiError(res.statusCode(), code + ": " + detail + errors(body));
        }
        return body;
    }

    private static String errors(JsonNode problem) {
        StringBuilder s = new StringBuilder();
        for (JsonNode e : problem.path("errors")) s.append("\n  ").append(e.path("pointer").asText()).append(": ").append(e.path("detail").asText());
        return s.toString();
    }

    /**
     * Follows the batch until it is finished, handing each meeting's change to {@code events}: through
     * its server-sent events, or, when they cannot be had (a proxy that answers 404 for them, drops the
     * stream or holds it back), by polling the batch; {@code notes} hears why it switched.
     * @return the final counts
     */
    BatchCounts follow(String batchId, Consumer<ProgressEvent> events, Consumer<String> notes)
            throws IOException, InterruptedException, ApiError {
        // what each meeting was when we started, then as reported: polling tells only what changed since
        Map<String, String> reported = new HashMap<>();
        for (JsonNode r : batch(batchId).path("results")) reported.put(r.path("meeting_id").asText(), reportKey(r));
        String why;
        try {
            BatchCounts done = followEvents(batchId, event -> {
                reported.put(event.meetingId(), event.state().wireName() + "#" + event.attempt());
                events.accept(event);
            });
            if (done != null) return done;
            why = "the events stream ended before the batch did";
        } catch (EventsUnavailable e) {
            why = e.getMessage();
        } catch (IOException e) {
            why = "the events stream failed: " + e;
        }
        notes.accept("live events unavailable (" + why + "); following the batch by polling every "
                + pollEvery.toMillis() / 1000.0 + " s");
        return poll(batchId, events, reported);
    }

    /** Why following the events did not work: what the client should say before it polls instead. */
    private static final class EventsUnavailable extends Exception {
        EventsUnavailable(String message) {
            super(message);
        }
    }

    /** One line of the events stream, or its end ({@code text} null) with the error that ended it, if any. */
    private record Line(String text, IOException error) {
    }

    /** @return the final counts once {@code done} came, or null when the stream ended before it */
    private BatchCounts followEvents(String batchId, Consumer<ProgressEvent> events)
            throws IOException, InterruptedException, EventsUnavailable {
        HttpRequest req = request("/api/v1/meetings/batch/" + batchId + "/events").header("Accept", "text/event-stream")
                .timeout(silence).GET().build();
        HttpResponse<InputStream> res;
        try {
            res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (java.net.http.HttpTimeoutException e) {
            throw new EventsUnavailable("no answer within " + silence.toSeconds() + " s");
        }
        String type = res.headers().firstValue("Content-Type").orElse("");
        if (res.statusCode() != 200 || !type.startsWith("text/event-stream")) {
            res.body().close();
            throw new EventsUnavailable("HTTP " + res.statusCode() + (type.isEmpty() ? "" : ", " + type));
        }
        BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
        InputStream body = res.body();
        Thread.ofVirtual().name("minutes-events-" + batchId).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) lines.add(new Line(line, null));
                lines.add(new Line(null, null));
            } catch (IOException e) {
                lines.add(new Line(null, e));
            }
        });
        String event = null;
        try {
            while (true) {
                Line line = lines.poll(silence.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null) {
                    // the service sends progress at least every few seconds: something in between holds it back
                    throw new EventsUnavailable("no event for " + silence.toSeconds() + " s");
                }
                if (line.error() != null) throw line.error();
                if (line.text() == null) return null;
                if (line.text().startsWith("event: ")) {
                    event = line.text().substring(7);
                } else if (line.text().startsWith("data: ")) {
                    JsonNode data = Json.MAPPER.readTree(line.text().substring(6));
                    if ("meeting".equals(event)) {
                        events.accept(progressEvent(data));
                    } else if ("done".equals(event)) {
                        return counts(data);
                    }
                }
            }
        } finally {
            body.close();
        }
    }

    /** Polls the batch until it is finished, reporting each meeting whose status or attempts changed. */
    private BatchCounts poll(String batchId, Consumer<ProgressEvent> events, Map<String, String> reported)
            throws IOException, InterruptedException, ApiError {
        while (true) {
            JsonNode batch = batch(batchId);
            BatchCounts counts = counts(batch);
            for (JsonNode r : batch.path("results")) {
                String key = reportKey(r);
                if (key.equals(reported.put(r.path("meeting_id").asText(), key))) continue;
                ObjectNode event = r.deepCopy();
                event.put("batch_id", batchId);
                event.put("attempt", r.path("attempts").asInt());
                event.set("counts", batch);
                events.accept(progressEvent(event));
            }
            if (counts.isFinished()) return counts;
            Thread.sleep(pollEvery);
        }
    }

    /** A meeting's state as far as progress is concerned: its status and how many attempts it took. */
    private static String reportKey(JsonNode result) {
        return result.path("status").asText() + "#" + result.path("attempts").asInt();
    }

    static BatchCounts counts(JsonNode c) {
        return new BatchCounts(c.path("queued").asInt(), c.path("processing").asInt(), c.path("completed").asInt(),
                c.path("failed").asInt(), c.path("skipped").asInt(), c.path("cancelled").asInt(), c.path("waiting").asInt());
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

package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** A client of a {@code minutes serve}'s API over real HTTP, as a user's script or browser is. */
final class ServeClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Generous: an answer slower than this is an answer that did not come. */
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(30);

    private final String url;
    private final HttpClient http = HttpClient.newHttpClient();

    ServeClient(String url) {
        this.url = url;
    }

    /** Submits meetings {@link TestTranscripts#text 0..count-1} as one JSON batch; returns its id. */
    String submit(int count) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode();
        var meetings = body.putArray("meetings");
        for (int i = 0; i < count; i++) meetings.addObject().put("title", "Planning " + i).put("transcript", TestTranscripts.text(i));
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch"))
                        .header("content-type", "application/json").timeout(ANSWER_WITHIN)
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        return JSON.readTree(submitted.body()).get("batch_id").asText();
    }

    /** The batch's status, or empty while serve answers 503 (its store away); any other answer fails. */
    Optional<JsonNode> status(String batchId) throws IOException, InterruptedException {
        HttpResponse<String> res = getStatus(batchId);
        if (res.statusCode() == 503) return Optional.empty();
        assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
        return Optional.of(JSON.readTree(res.body()));
    }

    private HttpResponse<String> getStatus(String batchId) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/meetings/batch/" + batchId)).timeout(ANSWER_WITHIN).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Follows the batch until {@link Follow#stop}: its SSE stream, and its status polled every 100 ms. */
    Follow follow(String batchId) {
        return new Follow(batchId);
    }

    /**
     * What following a batch saw: answers to status polls by HTTP status, the bodies of the refusals, the
     * polls that got no answer, the SSE event names in order and the counts of the last one.
     */
    record Followed(Map<Integer, Integer> polls, List<String> refusals, List<String> unanswered, List<String> events,
                    JsonNode lastCounts) {
    }

    final class Follow {
        private final Map<Integer, Integer> polls = new ConcurrentHashMap<>();
        private final List<String> refusals = new CopyOnWriteArrayList<>();
        private final List<String> unanswered = new CopyOnWriteArrayList<>();
        private final List<String> events = new CopyOnWriteArrayList<>();
        private final AtomicReference<JsonNode> lastCounts = new AtomicReference<>(JSON.createObjectNode());
        private final Thread poller;
        private final Thread stream;
        private volatile boolean stopping;

        private Follow(String batchId) {
            poller = Thread.ofVirtual().start(() -> {
                while (!stopping) {
                    try {
                        HttpResponse<String> res = getStatus(batchId);
                        polls.merge(res.statusCode(), 1, Integer::sum);
                        if (res.statusCode() != 200) refusals.add(res.body());
                        Thread.sleep(100); // the pace of a status page, not a wait for something
                    } catch (IOException e) {
                        unanswered.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            stream = Thread.ofVirtual().start(() -> {
                try (Stream<String> lines = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/api/v1/meetings/batch/" + batchId + "/events")).build(),
                        HttpResponse.BodyHandlers.ofLines()).body()) {
                    String event = null;
                    for (String line : (Iterable<String>) lines::iterator) {
                        if (line.startsWith("event: ")) events.add(event = line.substring(7));
                        if (line.startsWith("data: ") && !"meeting".equals(event)) lastCounts.set(JSON.readTree(line.substring(6)));
                        if ("done".equals(event)) return;
                    }
                    events.add("(stream ended)");
                } catch (IOException e) {
                    events.add("(stream failed: " + e + ")");
                } catch (InterruptedException e) {
                    events.add("(stopped waiting)");
                }
            });
        }

        /** Stops polling; waits (at most a minute) for the SSE stream's end. */
        Followed stop() throws InterruptedException {
            stopping = true;
            poller.join();
            if (!stream.join(Duration.ofMinutes(1))) {
                stream.interrupt();
                stream.join(Duration.ofSeconds(5));
            }
            return new Followed(new TreeMap<>(polls), List.copyOf(refusals), List.copyOf(unanswered), new ArrayList<>(events),
                    lastCounts.get());
        }
    }
}

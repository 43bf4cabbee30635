package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.port.ApiKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** SSE, synchronous processing, capacity, health, readiness, metrics, OpenAPI and API keys, over real HTTP. */
class ServiceApiTest {
    private static final String BATCH = "/api/v1/meetings/batch";

    @TempDir
    Path dir;
    TestService svc;

    @AfterEach
    void stop() {
        if (svc != null) svc.close();
    }

    record Sse(String event, long id, JsonNode data) {
    }

    /** Reads the whole event stream until the server ends it after {@code done}. */
    private List<Sse> events(String batchId) throws Exception {
        return events(batchId, () -> { });
    }

    /** @param connected called once the first event (the snapshot) arrived: the stream is subscribed */
    private List<Sse> events(String batchId, Runnable connected) throws Exception {
        HttpResponse<java.io.InputStream> res = svc.http.send(svc.request(BATCH + "/" + batchId + "/events")
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Sse> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
            String event = null;
            long id = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.startsWith("id: ")) id = Long.parseLong(line.substring(4));
                else if (line.startsWith("event: ")) event = line.substring(7);
                else if (line.startsWith("data: ")) {
                    events.add(new Sse(event, id, TestService.JSON.readTree(line.substring(6))));
                    if (events.size() == 1) connected.run();
                }
                else if (line.isEmpty()) id = 0;
            }
        }
        return events;
    }

    @Test
    void sseSendsEveryMeetingsEventsInOrderThenDone() throws Exception {
        svc = new TestService(dir);
        svc.gate.close();
        String id = svc.post(BATCH, TestService.batchOf("fail first", "b", "c", "d", "e")).json().path("batch_id").asText();
        var stream = new java.util.concurrent.CompletableFuture<List<Sse>>();
        var connected = new java.util.concurrent.CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                stream.complete(events(id, connected::countDown));
            } catch (Exception e) {
                stream.completeExceptionally(e);
            }
        });
        assertThat(connected.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        svc.gate.open();
        List<Sse> events = stream.get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(events.getFirst().event()).isEqualTo("progress");
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(events.getLast().data().path("status").asText()).isEqualTo("partial");
        assertThat(events.getLast().data().path("completed").asInt()).isEqualTo(4);
        assertThat(events.getLast().data().path("failed").asInt()).isEqualTo(1);
        long lastId = 0;
        Map<String, List<String>> byMeeting = new HashMap<>();
        for (Sse e : events) {
            if (!e.event().equals("meeting")) continue;
            assertThat(e.id()).as("ids increase").isGreaterThan(lastId);
            lastId = e.id();
            byMeeting.computeIfAbsent(e.data().path("meeting_id").asText(), m -> new ArrayList<>()).add(e.data().path("status").asText());
        }
        assertThat(byMeeting).hasSize(5);
        byMeeting.values().forEach(states -> {
            assertThat(states.getLast()).isIn("completed", "failed");
            assertThat(states.indexOf("running")).as("running comes before the end: %s", states).isLessThan(states.size() - 1);
        });
        Sse failed = events.stream().filter(e -> e.event().equals("meeting") && e.data().path("status").asText().equals("failed")).findFirst().orElseThrow();
        assertThat(failed.data().path("error").asText()).contains("refused");
        // progress counts never go backwards
        int finished = 0;
        for (Sse e : events) {
            if (!e.event().equals("progress")) continue;
            int now = e.data().path("completed").asInt() + e.data().path("failed").asInt();
            assertThat(now).isGreaterThanOrEqualTo(finished);
            finished = now;
        }
    }

    /** The provider's own counts while meetings wait in a provider batch (batch lane) reach the stream as they are polled. */
    @Test
    void sseTellsTheProviderBatchCountsWhileMeetingsWaitInOne() throws Exception {
        svc = new TestService(dir);
        svc.gate.close();
        String id = svc.post(BATCH, TestService.batchOf("a", "b")).json().path("batch_id").asText();
        var stream = new java.util.concurrent.CompletableFuture<List<Sse>>();
        var connected = new java.util.concurrent.CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                stream.complete(events(id, connected::countDown));
            } catch (Exception e) {
                stream.completeExceptionally(e);
            }
        });
        assertThat(connected.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        svc.hub.publish(io.minutes.core.domain.ProgressEvent.ofProviderBatch(id,
                new io.minutes.core.domain.ProviderBatchProgress("batch_abc", "in_progress", 812, 1000),
                new io.minutes.core.domain.BatchCounts(0, 0, 0, 0, 0, 0, 2)));
        svc.gate.open();
        List<Sse> events = stream.get(60, java.util.concurrent.TimeUnit.SECONDS);

        Sse told = events.stream().filter(e -> e.event().equals("provider_batch")).findFirst().orElseThrow();
        assertThat(told.data().path("batch_id").asText()).isEqualTo(id);
        assertThat(told.data().path("provider_batch").asText()).isEqualTo("batch_abc");
        assertThat(told.data().path("done").asInt()).isEqualTo(812);
        assertThat(told.data().path("total").asInt()).isEqualTo(1000);
        assertThat(told.data().path("message").asText()).isEqualTo("in provider batch batch_abc: 812 of 1,000 done (in_progress)");
        // it is no meeting's move: every meeting's events are still told, and the stream still ends with done
        assertThat(events.stream().filter(e -> e.event().equals("meeting")).map(e -> e.data().path("meeting_id").asText()))
                .doesNotContain("null", "").contains(events.stream().filter(e -> e.event().equals("meeting"))
                        .map(e -> e.data().path("meeting_id").asText()).findFirst().orElseThrow());
        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(events.getLast().data().path("completed").asInt()).isEqualTo(2);
    }

    /**
     * Seen: seq 229 "completed 3, status completed", then seq 230 "completed 1, status processing", then done:
     * an event carries the counts of the moment it was made and may arrive after a later one (another
     * worker, another node). Here an event is delivered again after newer ones, as a late one arrives.
     */
    @Test
    void sseCountsWentBackwardsWhenAnOlderEventArrivedLateAndMeetingAndProgressSharedAnId() throws Exception {
        svc = new TestService(dir);
        svc.gate.close();
        List<io.minutes.core.domain.ProgressEvent> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        svc.hub.subscribeAll(e -> {
            if (e.event() != null && e.event().state() == io.minutes.core.domain.MeetingState.COMPLETED) published.add(e.event());
        });
        String id = svc.post(BATCH, TestService.batchOf("a", "b", "c")).json().path("batch_id").asText();
        var stream = new java.util.concurrent.CompletableFuture<List<Sse>>();
        var connected = new java.util.concurrent.CountDownLatch(1);
        Thread.ofVirtual().start(() -> {
            try {
                stream.complete(events(id, connected::countDown));
            } catch (Exception e) {
                stream.completeExceptionally(e);
            }
        });
        assertThat(connected.await(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        svc.gate.release(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> published.size() == 1);
        var older = published.getFirst(); // told 1 completed: only one meeting could finish
        svc.gate.release(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> published.size() == 2);
        assertThat(older.counts().completed()).isEqualTo(1);
        assertThat(published.get(1).counts().completed()).isEqualTo(2);
        svc.hub.publish(older); // arrives after the event that told 2 completed
        svc.gate.open();
        List<Sse> events = stream.get(60, java.util.concurrent.TimeUnit.SECONDS);

        assertThat(events.getLast().event()).isEqualTo("done");
        assertThat(events.getLast().data().path("completed").asInt()).isEqualTo(3);
        java.util.Set<Long> ids = new java.util.HashSet<>();
        int completed = 0;
        for (Sse e : events) {
            assertThat(e.id()).as("every frame has an id: %s", e).isPositive();
            assertThat(ids.add(e.id())).as("id %d used once: %s", e.id(), e).isTrue();
            JsonNode counts = e.event().equals("meeting") ? e.data().path("counts") : e.data();
            assertThat(counts.path("completed").asInt()).as("completed never decreases: %s", e).isGreaterThanOrEqualTo(completed);
            completed = counts.path("completed").asInt();
        }
    }

    @Test
    void sseOfAFinishedBatchSaysDoneAtOnceAndAnUnknownBatchIs404() throws Exception {
        svc = new TestService(dir);
        String id = svc.post(BATCH, TestService.batchOf("a")).json().path("batch_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + id).json().path("status").asText().equals("completed"));
        List<Sse> events = events(id);
        assertThat(events).extracting(Sse::event).containsExactly("progress", "done");
        assertThat(svc.get(BATCH + "/batch_nope/events", "Accept", "text/event-stream").status()).isEqualTo(404);
    }

    @Test
    void processAnswersWithTheMinutesOrA504WhenItTakesTooLong() throws Exception {
        svc = new TestService(dir);
        var body = "{\"title\": \"Quick sync\", \"transcript\": " + TestService.JSON.writeValueAsString(TestService.TRANSCRIPT) + "}";
        var done = svc.post("/api/v1/meetings/process", body);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.json().path("status").asText()).isEqualTo("completed");
        assertThat(done.json().path("title").asText()).isEqualTo("Quick sync");
        assertThat(done.json().path("analysis").path("summary").asText()).isNotBlank();
        var again = svc.post("/api/v1/meetings/process", body);
        assertThat(again.json().path("status").asText()).as("a duplicate, answered with the first one's minutes").isEqualTo("skipped");
        assertThat(again.json().path("duplicate_of").asText()).isEqualTo(done.json().path("meeting_id").asText());
        assertThat(again.json().path("analysis")).isEqualTo(done.json().path("analysis"));

        svc.gate.close();
        var slow = svc.post("/api/v1/meetings/process?timeout_seconds=1", "{\"title\": \"Slow sync\", \"transcript\": "
                + TestService.JSON.writeValueAsString(TestService.transcriptAbout("the slow sync")) + "}");
        assertThat(slow.status()).isEqualTo(504);
        assertThat(slow.json().path("code").asText()).isEqualTo("PROCESS_TIMEOUT");
        String meetingId = slow.json().path("meeting_id").asText();
        svc.gate.open();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                svc.get("/api/v1/meetings/" + meetingId).json().path("status").asText().equals("completed"));

        var invalid = svc.post("/api/v1/meetings/process?timeout_seconds=0", "{\"tier\": \"x\"}");
        assertThat(invalid.status()).isEqualTo(400);
        List<String> pointers = new ArrayList<>();
        invalid.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/tier", "/transcript", "?timeout_seconds");
    }

    @Test
    void aSubmissionOverTheQueueBoundIs503AtCapacityWithRetryAfter() throws Exception {
        svc = new TestService(dir, 1_000, 10_000_000, 3, Duration.ofSeconds(5));
        svc.gate.close(); // the engine runs 4 meetings at once; they wait at the gate
        assertThat(svc.post(BATCH, TestService.batchOf("a", "b", "c", "d")).status()).as("4 > 3: refused").isEqualTo(503);
        assertThat(svc.post(BATCH, TestService.batchOf("a", "b", "c")).status()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get("/api/v1/capacity").json().path("active").asInt() == 3);
        assertThat(svc.post(BATCH, TestService.batchOf("d", "e", "f")).status()).as("running ones are not queued").isEqualTo(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get("/api/v1/capacity").json().path("active").asInt() == 4);

        var full = svc.post(BATCH, TestService.batchOf("g", "h"));
        assertThat(full.status()).isEqualTo(503);
        assertThat(full.json().path("code").asText()).isEqualTo("AT_CAPACITY");
        assertThat(Long.parseLong(full.header("Retry-After"))).isPositive();
        assertThat(svc.post(BATCH, TestService.batchOf("g")).status()).as("exactly fits").isEqualTo(202);
        JsonNode capacity = svc.get("/api/v1/capacity").json();
        assertThat(capacity.path("queued").asInt()).isEqualTo(3);
        assertThat(capacity.path("limit").asInt()).isEqualTo(3);
        assertThat(capacity.path("available").asInt()).isZero();
        assertThat(capacity.path("at_capacity").asBoolean()).isTrue();
        assertThat(capacity.has("throughput")).isTrue();
        svc.gate.open();
    }

    @Test
    void healthReadyMetricsAndUnknownRoutes() throws Exception {
        svc = new TestService(dir);
        assertThat(svc.get("/api/v1/health").json().path("status").asText()).isEqualTo("ok");
        assertThat(svc.get("/api/v1/ready").status()).isEqualTo(200); // NOT_READY: see ReadinessTest

        String id = svc.post(BATCH, TestService.batchOf("fail once", "b")).json().path("batch_id").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> !svc.get(BATCH + "/" + id).json().path("status").asText().equals("processing"));
        String metrics = svc.get("/metrics").body();
        assertThat(metrics).contains("minutes_meetings{state=\"completed\"} 1.0", "minutes_meetings{state=\"failed\"} 1.0",
                "minutes_queue_depth 0.0", "minutes_provider_latency_seconds_count{outcome=\"ok\",provider=\"gated-local\"} 1",
                "minutes_tokens{direction=\"input\"}", "minutes_cost_usd", "minutes_retries_total",
                "minutes_provider_rate_limited_total");

        var unknown = svc.get("/api/v1/nothing-here");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("code").asText()).isEqualTo("ROUTE_NOT_FOUND");
    }

    @Test
    void everyRouteIsInTheOpenApiDocumentAndEveryDocumentedRouteAnswers() throws Exception {
        svc = new TestService(dir);
        JsonNode doc = svc.get("/api/v1/openapi.json").json();
        assertThat(doc.path("openapi").asText()).startsWith("3.");
        List<String> documented = new ArrayList<>();
        for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase() + " " + path.getKey()));
        }
        List<String> registered = svc.server.routes.stream().map(r -> r.method().name() + " " + r.path()).toList();
        assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
        assertThat(documented).contains("POST /api/v1/meetings/batch", "POST /api/v1/meetings/batch/upload",
                "GET /api/v1/meetings/batch", "GET /api/v1/meetings/batch/{id}", "GET /api/v1/meetings/batch/{id}/results",
                "GET /api/v1/meetings/{meeting_id}", "POST /api/v1/meetings/batch/{id}/cancel",
                "POST /api/v1/meetings/batch/{id}/retry", "GET /api/v1/meetings/batch/{id}/events",
                "POST /api/v1/meetings/process", "GET /api/v1/capacity", "GET /api/v1/health", "GET /api/v1/ready",
                "GET /metrics", "GET /api/v1/openapi.json");
        for (String route : documented) {
            String[] parts = route.split(" ");
            String path = parts[1].replace("{id}", "batch_nope").replace("{meeting_id}", "mtg_nope");
            var request = svc.request(path).header("Accept", "text/event-stream");
            var answer = svc.send(parts[0].equals("GET") ? request.GET().build()
                    : request.POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}")).build());
            assertThat(answer.json() == null ? "" : answer.json().path("code").asText())
                    .as("%s is routed", route).isNotEqualTo("ROUTE_NOT_FOUND");
        }
    }

    /** Seen: every batch showed as batch_01M8Y6 (ids cut to 12 characters; ids made within minutes share them). */
    @Test
    void batchesMadeWithinMinutesLookedAlikeSoEachHasAName() throws Exception {
        svc = new TestService(dir);
        String json = svc.post(BATCH, TestService.batchOf("Weekly sync", "Retro", "Planning")).json().path("batch_id").asText();
        String upload = svc.send(Multipart.named(svc.request(BATCH + "/upload"), "standup.txt",
                TestService.transcriptAbout("standup").getBytes(StandardCharsets.UTF_8))).json().path("batch_id").asText();

        assertThat(svc.get(BATCH + "/" + json).json().path("name").asText()).isEqualTo("Weekly sync and 2 more");
        JsonNode listed = svc.get(BATCH).json().path("batches");
        assertThat(listed.get(0).path("batch_id").asText()).isEqualTo(upload);
        assertThat(listed.get(0).path("name").asText()).containsIgnoringCase("standup").doesNotContain("more");
        assertThat(listed.get(1).path("name").asText()).isEqualTo("Weekly sync and 2 more");
    }

    @Test
    void aRevokedKeyIsRefusedAtItsNextRequestAndItsTenantsBatchesStayForItsOtherKeys() throws Exception {
        svc = new TestService(dir);
        String first = ApiKeys.generate();
        String second = ApiKeys.generate();
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(first), Instant.now()));
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(second), Instant.now()));
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get(BATCH).status() == 401);
        String id = svc.post(BATCH, TestService.batchOf("acme board"), "Authorization", "Bearer " + first).json().path("batch_id").asText();

        svc.store.apiKeyRevoke(new ApiKeyStore.ApiKeyRevokeParams(ApiKeys.hash(first)));

        assertThat(svc.get(BATCH + "/" + id, "Authorization", "Bearer " + first).status()).isEqualTo(401);
        assertThat(svc.get(BATCH + "/" + id, "Authorization", "Bearer " + second).status()).isEqualTo(200);
    }

    @Test
    void withApiKeysEveryApiRouteNeedsOneAndATenantSeesOnlyItsOwnBatches() throws Exception {
        svc = new TestService(dir);
        String keyA = ApiKeys.generate();
        String keyB = ApiKeys.generate();
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(keyA), Instant.now()));
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", ApiKeys.hash(keyB), Instant.now()));
        String[] a = {"Authorization", "Bearer " + keyA};
        String[] b = {"Authorization", "Bearer " + keyB};

        var anonymous = await().atMost(Duration.ofSeconds(10)).until(() -> svc.get(BATCH), r -> r.status() == 401);
        assertThat(anonymous.json().path("code").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(anonymous.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(svc.get(BATCH, "Authorization", "Bearer mk_wrong").status()).isEqualTo(401);
        assertThat(svc.get("/api/v1/capacity").status()).isEqualTo(401);
        assertThat(svc.get("/api/v1/health").status()).as("liveness probes carry no key").isEqualTo(200);

        String id = svc.post(BATCH, TestService.batchOf("acme board"), a).json().path("batch_id").asText();
        JsonNode batch = await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + id, a).json(),
                j -> j.path("status").asText().equals("completed"));
        String meetingId = batch.path("results").get(0).path("meeting_id").asText();

        assertThat(svc.get(BATCH + "/" + id, b).status()).isEqualTo(404);
        assertThat(svc.get(BATCH + "/" + id + "/results", b).status()).isEqualTo(404);
        assertThat(svc.get(BATCH + "/" + id + "/events", b).status()).isEqualTo(404);
        assertThat(svc.post(BATCH + "/" + id + "/cancel", "", b).status()).isEqualTo(404);
        assertThat(svc.post(BATCH + "/" + id + "/retry", "", b).status()).isEqualTo(404);
        assertThat(svc.get("/api/v1/meetings/" + meetingId, b).status()).isEqualTo(404);
        assertThat(svc.get(BATCH, b).json().path("batches")).isEmpty();
        assertThat(svc.get(BATCH, a).json().path("batches")).hasSize(1);
        assertThat(svc.get("/api/v1/meetings/" + meetingId, a).status()).isEqualTo(200);
        assertThat(svc.get("/metrics").status()).as("metrics are for the operator's scraper").isEqualTo(200);
    }
}

package io.minutes.server;

import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.PostgresUrl;
import io.minutes.store.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service on a real PostgreSQL reached through a TCP proxy that the test cuts: a database outage.
 * Seen: /api/v1/health, /api/v1/ready and every /api call waited 10 s (the pool's connection timeout)
 * and answered 503; /metrics answered 500 after 10 s.
 */
class StoreOutageTest {
    /** Generous: the pool waits 10 s for a connection, and that is what must not be waited for. */
    private static final Duration PROMPT = Duration.ofSeconds(6);
    private static final String BATCH = "/api/v1/meetings/batch";

    @TempDir
    Path dir;
    TestPostgres.Schema schema;
    TcpProxy proxy;
    TestService svc;

    @BeforeEach
    void start() throws Exception {
        schema = TestPostgres.newSchema();
        Matcher server = Pattern.compile("//([^/:]+):(\\d+)/").matcher(schema.jdbcUrl());
        assertThat(server.find()).as(schema.jdbcUrl()).isTrue();
        proxy = new TcpProxy(server.group(1), Integer.parseInt(server.group(2)));
        String proxied = server.replaceFirst("//127.0.0.1:" + proxy.port() + "/");
        svc = new TestService(dir, events -> PostgresMeetingStore.open(PostgresUrl.parse(proxied), events));
    }

    @AfterEach
    void stop() {
        if (proxy != null) proxy.restore();
        if (svc != null) svc.close();
        if (proxy != null) proxy.close();
        if (schema != null) schema.close();
    }

    private record Timed(TestService.Answer answer, Duration took) {
    }

    private static Timed timed(Callable<TestService.Answer> call) throws Exception {
        long start = System.nanoTime();
        TestService.Answer answer = call.call();
        return new Timed(answer, Duration.ofNanos(System.nanoTime() - start));
    }

    private TestService.Answer metrics() throws Exception {
        return svc.send(svc.request("/metrics").GET().build());
    }

    @Test
    void withPostgresUnreachableHealthReadyAndApiCallsWaitedTenSecondsAndMetricsFailed() throws Exception {
        assertThat(svc.post(BATCH, TestService.batchOf("before the outage")).status()).isEqualTo(202);
        assertThat(svc.get("/api/v1/ready").status()).isEqualTo(200);
        assertThat(metrics().body()).contains("minutes_store_up 1.0");

        proxy.cut();

        Timed health = timed(() -> svc.get("/api/v1/health"));
        assertThat(health.answer().status()).as(health.answer().body()).isEqualTo(200);
        assertThat(health.answer().json().path("status").asText()).isEqualTo("ok");
        assertThat(health.took()).as("health answers at once").isLessThan(PROMPT);

        Timed ready = timed(() -> svc.get("/api/v1/ready"));
        assertThat(ready.answer().status()).as(ready.answer().body()).isEqualTo(503);
        assertThat(ready.answer().json().path("code").asText()).isEqualTo("NOT_READY");
        assertThat(ready.answer().json().path("store").asText()).isEqualTo("not_writable");
        assertThat(ready.answer().json().path("detail").asText()).startsWith("store: cannot be written");
        assertThat(ready.answer().body()).as("no host or port of the database")
                .doesNotContain("127.0.0.1", ":" + proxy.port(), schema.name());
        assertThat(ready.took()).as("ready answers within a second or so").isLessThan(PROMPT);

        Timed scrape = timed(this::metrics);
        assertThat(scrape.answer().status()).isEqualTo(200);
        assertThat(scrape.answer().body()).contains("minutes_store_up 0.0", "minutes_meetings{state=\"queued\"}");
        assertThat(scrape.took()).as("metrics keep serving").isLessThan(PROMPT);

        // the service now knows the store is down: API calls are refused at once, saying why
        Timed list = timed(() -> svc.get(BATCH));
        assertThat(list.answer().status()).as(list.answer().body()).isEqualTo(503);
        assertThat(list.answer().json().path("code").asText()).isEqualTo("NOT_READY");
        assertThat(list.answer().header("Retry-After")).isEqualTo("5");
        assertThat(list.took()).isLessThan(PROMPT);
        Timed submit = timed(() -> svc.post(BATCH, TestService.batchOf("during the outage")));
        assertThat(submit.answer().status()).isEqualTo(503);
        assertThat(submit.took()).isLessThan(PROMPT);

        proxy.restore();

        await().atMost(Duration.ofSeconds(90)).until(() -> svc.get("/api/v1/ready").status() == 200);
        await().atMost(Duration.ofSeconds(60)).until(() -> svc.get(BATCH).status() == 200);
        assertThat(svc.get(BATCH).json().path("batches")).hasSize(1);
        assertThat(metrics().body()).contains("minutes_store_up 1.0");
    }

    /**
     * Broke: a batch's event stream ended without {@code done} when its periodic look at the store met a
     * database outage (the read failed and the stream was closed); an EventSource reconnecting then got 503
     * and gave up (the web UI fell back to polling). The stream waits the outage out, saying it is alive.
     */
    @Test
    void anEventStreamOutlivesADatabaseOutageAndTellsTheBatchsEnd() throws Exception {
        svc.gate.close();
        String id = svc.post(BATCH, TestService.batchOf("held over the outage", "also held")).json().path("batch_id").asText();
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicReference<JsonNode> last = new AtomicReference<>();
        HttpResponse<Stream<String>> stream = svc.http.send(svc.request(BATCH + "/" + id + "/events")
                .header("Accept", "text/event-stream").GET().build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(stream.statusCode()).isEqualTo(200);
        Thread reader = Thread.ofVirtual().start(() -> {
            try (Stream<String> lines = stream.body()) {
                String event = null;
                for (String line : (Iterable<String>) lines::iterator) {
                    if (line.startsWith("event: ")) event = line.substring(7);
                    if (line.startsWith("data: ")) {
                        last.set(TestService.JSON.readTree(line.substring(6)));
                        events.add(event);
                    }
                }
                events.add("(ended)");
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                events.add("(failed: " + e + ")");
            }
        });
        await().atMost(Duration.ofSeconds(30)).until(() -> !events.isEmpty());

        proxy.cut();
        int before = events.size();
        // the stream looks at the store when nothing happened for a while: during the outage, that look fails
        await().atMost(Duration.ofSeconds(60)).until(() -> events.size() > before);
        assertThat(events.subList(before, events.size())).as("told during the outage").doesNotContain("(ended)")
                .allSatisfy(e -> assertThat(e).isEqualTo("progress"));
        proxy.restore();
        svc.gate.open();

        reader.join(Duration.ofSeconds(90));
        assertThat(events).as("the stream's events").endsWith("done", "(ended)");
        assertThat(last.get().path("completed").asInt()).isEqualTo(2);
    }
}

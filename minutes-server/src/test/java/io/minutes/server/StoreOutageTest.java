package io.minutes.server;

import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.PostgresUrl;
import io.minutes.store.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        svc = new TestService(dir, PostgresMeetingStore.open(PostgresUrl.parse(proxied)));
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
}

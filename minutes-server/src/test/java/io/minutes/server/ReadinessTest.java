package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code GET /api/v1/ready} over real HTTP: 503 NOT_READY names what failed, for real causes. */
class ReadinessTest {
    private static final String READY = "/api/v1/ready";

    @TempDir
    Path dir;
    TestService svc;

    @BeforeEach
    void start() throws Exception {
        svc = new TestService(dir);
    }

    @AfterEach
    void stop() {
        svc.close();
    }

    @Test
    void readyWhenTheStoreTakesWritesAndTheEngineRuns() throws Exception {
        var ready = svc.get(READY);
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("status").asText()).isEqualTo("ready");
        assertThat(ready.json().path("store").asText()).isEqualTo("ok");
        assertThat(ready.json().path("engine").asText()).isEqualTo("running");
    }

    /**
     * Another process holding the database's write lock (a long transaction in the sqlite3 shell, a
     * backup): the store still answers reads, so a read could not tell; a write waits out the busy
     * timeout and fails.
     */
    @Test
    void aStoreWhoseWriteLockAnotherProcessHoldsIsNotReady() throws Exception {
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("minutes.db"));
             Statement statement = other.createStatement()) {
            statement.execute("BEGIN IMMEDIATE");
            try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("minutes.db"));
                 Statement read = reader.createStatement()) {
                assertThat(read.executeQuery("SELECT COUNT(*) FROM meetings").next()).as("reads still work").isTrue();
            }

            var notReady = svc.get(READY);

            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.header("Content-Type")).startsWith("application/problem+json");
            JsonNode problem = notReady.json();
            assertThat(problem.path("code").asText()).isEqualTo("NOT_READY");
            assertThat(problem.path("store").asText()).isEqualTo("not_writable");
            assertThat(problem.path("engine").asText()).isEqualTo("running");
            assertThat(problem.path("detail").asText()).startsWith("store: cannot be written").doesNotContain("engine");
            // ready answers within a second; the check goes on and its outcome, the database's words, is told next
            await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(READY).json().path("store_error").asText().contains("locked"));
            statement.execute("ROLLBACK");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(READY).status() == 200);
    }

    @Test
    void aStoppedEngineIsNotReady() throws Exception {
        svc.dispatcher.shutdown(Duration.ofSeconds(1));

        var notReady = svc.get(READY);

        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.json().path("code").asText()).isEqualTo("NOT_READY");
        assertThat(notReady.json().path("engine").asText()).isEqualTo("stopped");
        assertThat(notReady.json().path("store").asText()).isEqualTo("ok");
        assertThat(notReady.json().path("detail").asText()).isEqualTo("engine: not running (no meetings are being claimed)");
    }

    @Test
    void withApiKeysAStoreThatCannotBeReadRefusesApiRoutesAs503NotAsIfThereWereNoKeys() throws Exception {
        String key = ApiKeys.generate();
        svc.store.apiKeyCreate(new io.minutes.core.port.MeetingStore.ApiKeyCreateParams("acme", ApiKeys.hash(key), java.time.Instant.now()));
        String[] auth = {"Authorization", "Bearer " + key};
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get("/api/v1/meetings/batch").status() == 401);
        assertThat(svc.get(READY, auth).status()).isEqualTo(200);
        svc.dispatcher.shutdown(Duration.ofSeconds(1));
        svc.store.close();

        var refused = svc.get("/api/v1/meetings/batch", auth);
        assertThat(refused.status()).isEqualTo(503);
        assertThat(refused.json().path("code").asText()).isEqualTo("NOT_READY");
        assertThat(refused.json().path("store").asText()).isEqualTo("unavailable");
        assertThat(refused.header("Retry-After")).isEqualTo("5");
        // without a key: 401 while the service still knows keys exist, 503 once it must ask the store again
        assertThat(svc.get("/api/v1/meetings/batch").status()).isIn(401, 503);
        // the probes need no key and never wait on the store: the process lives, and is not ready
        for (String[] headers : java.util.List.of(auth, new String[0])) {
            assertThat(svc.get("/api/v1/health", headers).status()).isEqualTo(200);
            assertThat(svc.get("/api/v1/health", headers).json().path("store").asText()).isEqualTo("unavailable");
            var notReady = svc.get(READY, headers);
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.json().path("store").asText()).isEqualTo("not_writable");
            assertThat(notReady.header("Retry-After")).isEqualTo("5");
        }
    }

    @Test
    void aClosedStoreIsNotReadyWhicheverCheckMeetsItFirst() throws Exception {
        svc.dispatcher.shutdown(Duration.ofSeconds(1));
        svc.store.close();

        // the API-key check reads the store every 2 s: it, or the readiness check, finds it closed
        var notReady = svc.get(READY);

        assertThat(notReady.status()).isEqualTo(503);
        assertThat(notReady.json().path("code").asText()).isEqualTo("NOT_READY");
        assertThat(notReady.json().path("detail").asText()).startsWith("store: cannot be");
        assertThat(notReady.json().path("store").asText()).isIn("not_writable", "unavailable");
    }
}

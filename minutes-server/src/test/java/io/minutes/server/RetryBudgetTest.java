package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.providers.sim.EnforcedLimit;
import io.minutes.providers.sim.SimAnalyzer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code options.max_attempts} is the retry budget of its batch's meetings, over real HTTP. */
class RetryBudgetTest {
    private static final String BATCH = "/api/v1/meetings/batch";

    @TempDir
    Path dir;
    TestService svc;

    @AfterEach
    void stop() {
        if (svc != null) svc.close();
    }

    private String submit(String body) throws Exception {
        var accepted = svc.post(BATCH, body);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        return accepted.json().path("batch_id").asText();
    }

    private JsonNode onlyResult(String batchId) {
        JsonNode batch = await().atMost(Duration.ofSeconds(60)).until(() -> svc.get(BATCH + "/" + batchId).json(),
                b -> !b.path("status").asText().equals("processing"));
        return batch.path("results").get(0);
    }

    @Test
    void aBatchWithMaxAttemptsOneFailsAfterOneAttemptWhileTheOthersRetryToTheirBudget() throws Exception {
        // every call of this provider fails with a transient 503
        svc = new TestService(dir, 1_000, 10_000_000, 10_000, Duration.ofSeconds(30),
                new SimAnalyzer(new SimAnalyzer.Settings(Duration.ZERO, Duration.ZERO, 1.0, 0, SimAnalyzer.Settings.DEFAULT_TIMEOUT, 0, 0,
                SimAnalyzer.Settings.DEFAULT_MAX_OUTPUT_TOKENS, 7, EnforcedLimit.Window.SECOND)));

        String once = submit(TestService.batchWithOptions("{\"max_attempts\": 1}", "once"));
        String byDefault = submit(TestService.batchOf("by default"));
        String five = submit(TestService.batchWithOptions("{\"max_attempts\": 5}", "five"));

        JsonNode onceResult = onlyResult(once);
        assertThat(onceResult.path("status").asText()).isEqualTo("failed");
        assertThat(onceResult.path("error").asText()).contains("503");
        assertThat(onceResult.path("attempts").asInt()).as("max_attempts 1: no retry").isEqualTo(1);
        assertThat(svc.get("/api/v1/meetings/" + onceResult.path("meeting_id").asText()).json().path("attempt_history")).hasSize(1);

        JsonNode defaultResult = onlyResult(byDefault);
        assertThat(defaultResult.path("status").asText()).isEqualTo("failed");
        assertThat(defaultResult.path("attempts").asInt()).as("the service's max-attempts").isEqualTo(TestService.MAX_ATTEMPTS);

        JsonNode fiveResult = onlyResult(five);
        assertThat(fiveResult.path("status").asText()).isEqualTo("failed");
        assertThat(fiveResult.path("attempts").asInt()).as("more than the service's").isEqualTo(5);
        assertThat(svc.get("/api/v1/meetings/" + fiveResult.path("meeting_id").asText()).json().path("attempt_history")).hasSize(5);
    }
}

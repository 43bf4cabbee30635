package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code options.deadline} over real HTTP: kept with the batch when valid, a 400 naming the field when not. */
class DeadlineApiTest {
    private static final String BATCH = "/api/v1/meetings/batch";

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

    private static String body(Object deadline) {
        ObjectNode root = TestService.JSON.createObjectNode();
        root.putArray("meetings").addObject().put("title", "Planning").put("transcript", TestService.transcriptAbout("planning"));
        root.set("options", TestService.JSON.valueToTree(Map.of("deadline", deadline)));
        return root.toString();
    }

    @Test
    void aDurationOrAnInstantIsStoredWithTheBatch() throws Exception {
        Instant before = Instant.now();
        var answer = svc.post(BATCH, body("8h"));
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        String id = answer.json().path("batch_id").asText();
        Instant stored = svc.store.batchDeadline(id).orElseThrow().deadline();
        assertThat(stored).isBetween(before.plus(Duration.ofHours(8)).minusSeconds(1), Instant.now().plus(Duration.ofHours(8)));

        Instant at = Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var second = svc.post(BATCH, body(at.toString()));
        assertThat(second.status()).as(second.body()).isEqualTo(202);
        assertThat(svc.store.batchDeadline(second.json().path("batch_id").asText()).orElseThrow().deadline()).isEqualTo(at);
    }

    @Test
    void aDeadlinePastMalformedWithoutOffsetOrNotAStringIsA400NamingTheField() throws Exception {
        for (Object bad : new Object[]{"2020-01-01T00:00:00Z", "by friday", "2030-01-01T08:00", 8}) {
            var answer = svc.post(BATCH, body(bad));
            assertThat(answer.status()).as(String.valueOf(bad)).isEqualTo(400);
            JsonNode errors = answer.json().path("errors");
            assertThat(errors).hasSize(1);
            assertThat(errors.get(0).path("pointer").asText()).isEqualTo("/options/deadline");
        }
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }
}

package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A meeting's date ({@code meetings[].date}, or the {@code "date"} of a transcript JSON) over real HTTP, on a real
 * SQLite store and engine: it is validated, shown on the meeting, and due dates said as "by Monday" count from it.
 */
class MeetingDateApiTest {
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

    private JsonNode finished(String batchId) {
        JsonNode batch = await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + batchId).json(),
                b -> !b.path("status").asText().equals("processing"));
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        return batch;
    }

    private static String dueDateOfTheReleaseNotes(JsonNode meeting) {
        for (JsonNode item : meeting.path("analysis").path("action_items")) {
            if (item.path("description").asText().contains("release notes")) {
                assertThat(item.path("due").asText()).contains("Monday");
                return item.path("due_date").isNull() ? null : item.path("due_date").asText();
            }
        }
        throw new AssertionError("no release-notes action in " + meeting.path("analysis"));
    }

    @Test
    void aMeetingsDateIsShownAndItsDueDatesCountFromIt() throws Exception {
        String json = TestService.JSON.writeValueAsString(TestService.TRANSCRIPT);
        String metadata = TestService.JSON.writeValueAsString(
                "{\"date\": \"2026-12-02\", \"segments\": [{\"speaker\": \"Bob\", \"text\": \"I will write the release notes by Monday and send them to the team.\"},"
                        + " {\"speaker\": \"Alice\", \"text\": \"Good, we decided to ship the release on Friday after the review.\"}]}");
        String id = svc.post(BATCH, """
                {"meetings": [
                  {"title": "Release sync", "date": "2026-11-18", "transcript": %s},
                  {"title": "Release sync, from its export", "transcript": %s},
                  {"title": "Release sync 2026-11-16, dated by its title", "transcript": %s},
                  {"title": "Release sync, no date", "transcript": %s}],
                 "on_duplicate": "allow_duplicates"}""".formatted(json, metadata, json, json)).json().path("batch_id").asText();

        JsonNode results = finished(id).path("results");
        java.util.List<String> dates = new java.util.ArrayList<>();
        results.forEach(r -> dates.add(r.path("date").isNull() ? null : r.path("date").asText()));
        assertThat(dates).as("the batch status shows each meeting's date").containsExactly("2026-11-18", "2026-12-02", "2026-11-16", null);
        JsonNode given = svc.get("/api/v1/meetings/" + results.get(0).path("meeting_id").asText()).json();
        assertThat(given.path("date").asText()).isEqualTo("2026-11-18");
        assertThat(dueDateOfTheReleaseNotes(given)).as("the Monday after Wednesday 18 November").isEqualTo("2026-11-23");
        JsonNode exported = svc.get("/api/v1/meetings/" + results.get(1).path("meeting_id").asText()).json();
        assertThat(dueDateOfTheReleaseNotes(exported)).as("the Monday after Wednesday 2 December").isEqualTo("2026-12-07");
        JsonNode undated = svc.get("/api/v1/meetings/" + results.get(3).path("meeting_id").asText()).json();
        assertThat(dueDateOfTheReleaseNotes(undated)).as("no date known: the words only").isNull();
    }

    @Test
    void aDateThatIsNoDayIsA400NamingTheMeeting() throws Exception {
        var answer = svc.post(BATCH, """
                {"meetings": [{"title": "ok", "date": "2026-11-18", "transcript": %s},
                              {"title": "bad", "date": "18.11.2026", "transcript": %s},
                              {"title": "worse", "date": 20261118, "transcript": %s}]}"""
                .formatted(TestService.JSON.writeValueAsString(TestService.TRANSCRIPT),
                        TestService.JSON.writeValueAsString(TestService.TRANSCRIPT),
                        TestService.JSON.writeValueAsString(TestService.TRANSCRIPT)));

        assertThat(answer.status()).isEqualTo(400);
        JsonNode errors = answer.json().path("errors");
        assertThat(errors).hasSize(2);
        assertThat(errors.get(0).path("pointer").asText()).isEqualTo("/meetings/1/date");
        assertThat(errors.get(0).path("detail").asText()).isEqualTo("must be the day the meeting took place as an ISO date "
                + "such as 2026-11-16 (an ISO date-time such as 2026-11-16T15:30:00Z counts as its day as written), got '18.11.2026'");
        assertThat(errors.get(1).path("pointer").asText()).isEqualTo("/meetings/2/date");
        assertThat(errors.get(1).path("detail").asText()).isEqualTo("must be a string, got number");
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }
}

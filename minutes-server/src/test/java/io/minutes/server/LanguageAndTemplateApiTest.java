package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code options.language} and {@code options.template} of a batch, over real HTTP, on a real SQLite store and engine. */
class LanguageAndTemplateApiTest {
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

    private JsonNode minutesOf(String batchId) throws Exception {
        JsonNode batch = await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + batchId).json(),
                b -> !b.path("status").asText().equals("processing"));
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        String meetingId = batch.path("results").get(0).path("meeting_id").asText();
        return svc.get("/api/v1/meetings/" + meetingId).json().path("analysis");
    }

    @Test
    void aBatchsLanguageAndTemplateReachItsMinutes() throws Exception {
        String id = svc.post(BATCH, """
                {"meetings": [{"title": "sync", "transcript": %s}], "options": {"language": "de", "template": "retrospective"}}"""
                .formatted(TestService.JSON.writeValueAsString(TestService.TRANSCRIPT))).json().path("batch_id").asText();

        JsonNode minutes = minutesOf(id);
        assertThat(minutes.path("template").asText()).isEqualTo("retrospective");
        assertThat(minutes.path("language").asText()).as("the built-in analyzer writes in the meeting's language").isEqualTo("en");
        assertThat(minutes.path("warnings").toString()).contains("cannot translate").contains("not in German as asked")
                .contains("applied only the general shape of the retrospective template");
    }

    @Test
    void withoutOptionsTheServicesSettingsApply() throws Exception {
        String id = svc.post(BATCH, TestService.batchOf("Release sync")).json().path("batch_id").asText();

        JsonNode minutes = minutesOf(id);
        assertThat(minutes.path("template").asText()).isEqualTo("general");
        assertThat(minutes.path("warnings")).isEmpty();
    }

    @Test
    void aMalformedLanguageOrAnUnknownTemplateIsA400NamingTheOption() throws Exception {
        var answer = svc.post(BATCH, """
                {"meetings": [{"title": "ok", "transcript": "x"}], "options": {"language": "german", "template": "standup"}}""");

        assertThat(answer.status()).isEqualTo(400);
        List<String> problems = new ArrayList<>();
        answer.json().path("errors").forEach(e -> problems.add(e.path("pointer").asText() + " " + e.path("detail").asText()));
        assertThat(problems).hasSize(2);
        assertThat(problems.get(0)).startsWith("/options/language 'german' is not a language; use auto or a BCP 47 code");
        assertThat(problems.get(1)).startsWith("/options/template 'standup' is not a template; use auto or one of: general, stand-up");
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }

    /** Before: a meeting asked in another template was skipped as a duplicate of the one answered before, showing the old minutes. */
    @Test
    void theSameMeetingAskedInAnotherTemplateIsNotADuplicate() throws Exception {
        String transcript = TestService.JSON.writeValueAsString(TestService.TRANSCRIPT);
        minutesOf(svc.post(BATCH, "{\"meetings\": [{\"title\": \"sync\", \"transcript\": %s}]}".formatted(transcript))
                .json().path("batch_id").asText());

        JsonNode again = minutesOf(svc.post(BATCH, """
                {"meetings": [{"title": "sync", "transcript": %s}], "options": {"template": "council"}}""".formatted(transcript))
                .json().path("batch_id").asText());

        assertThat(again.path("template").asText()).isEqualTo("council");
    }
}

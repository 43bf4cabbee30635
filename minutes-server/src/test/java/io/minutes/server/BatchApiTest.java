package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every batch endpoint over real HTTP on a random port, against a real SQLite store and engine. */
class BatchApiTest {
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
        return await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + batchId).json(),
                b -> !b.path("status").asText().equals("processing"));
    }

    @Test
    void aSubmittedBatchIsAcceptedAndItsResultsComeInInputOrder() throws Exception {
        var accepted = svc.post(BATCH, TestService.batchOf("Zeta review", "Alpha planning", "Mid sync"));

        assertThat(accepted.status()).isEqualTo(202);
        assertThat(accepted.json().path("batch_id").asText()).startsWith("batch_");
        assertThat(accepted.json().path("total").asInt()).isEqualTo(3);
        assertThat(accepted.json().path("status").asText()).isEqualTo("processing");
        assertThat(accepted.json().path("submitted_at").asText()).isNotBlank();
        assertThat(accepted.header("Location")).isEqualTo(BATCH + "/" + accepted.json().path("batch_id").asText());

        JsonNode batch = finished(accepted.json().path("batch_id").asText());
        assertThat(batch.path("status").asText()).isEqualTo("completed");
        assertThat(batch.path("completed").asInt()).isEqualTo(3);
        for (String field : List.of("total", "queued", "processing", "completed", "failed", "skipped", "cancelled",
                "tokens", "estimated_cost", "eta_seconds", "results")) {
            assertThat(batch.has(field)).as(field).isTrue();
        }
        List<String> titles = new ArrayList<>();
        for (JsonNode r : batch.path("results")) {
            titles.add(r.path("title").asText());
            assertThat(r.path("status").asText()).isEqualTo("completed");
            assertThat(r.path("attempts").asInt()).isEqualTo(1);
            assertThat(r.has("meeting_id")).isTrue();
            assertThat(r.path("error").isNull()).isTrue();
        }
        assertThat(titles).containsExactly("Zeta review", "Alpha planning", "Mid sync");
    }

    @Test
    void partialResultsAreShownWhileTheBatchRuns() throws Exception {
        svc.gate.close();
        String id = svc.post(BATCH, TestService.batchOf("a", "b", "c", "d", "e", "f")).json().path("batch_id").asText();
        svc.gate.release(2);

        JsonNode during = await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + id).json(),
                b -> b.path("completed").asInt() == 2);
        assertThat(during.path("status").asText()).isEqualTo("processing");
        assertThat(during.path("results")).hasSize(6);
        long done = 0;
        for (JsonNode r : during.path("results")) if (r.path("status").asText().equals("completed")) done++;
        assertThat(done).isEqualTo(2);
        svc.gate.open();
        assertThat(finished(id).path("completed").asInt()).isEqualTo(6);
    }

    @Test
    void everyInvalidFieldIsListedWithItsJsonPointer() throws Exception {
        var answer = svc.post(BATCH, """
                {"meetings": [{"title": "ok", "transcript": "x"}, {"title": 7, "tier": "secret", "transcript": 5, "extra": 1}],
                 "on_duplicate": "merge", "options": {"priority": "urgent", "max_attempts": 0, "colour": "red"}}""");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
        assertThat(answer.json().path("code").asText()).isEqualTo("INVALID_REQUEST");
        List<String> pointers = new ArrayList<>();
        answer.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/meetings/1/title", "/meetings/1/tier", "/meetings/1/transcript",
                "/meetings/1/extra", "/on_duplicate", "/options/priority", "/options/max_attempts", "/options/colour");
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
    }

    @Test
    void brokenJsonAndAMissingMeetingListAreClearErrors() throws Exception {
        var broken = svc.post(BATCH, "{\"meetings\": [");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.json().path("code").asText()).isEqualTo("INVALID_JSON");
        assertThat(broken.json().path("detail").asText()).contains("line 1");

        var missing = svc.post(BATCH, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("errors").get(0).path("pointer").asText()).isEqualTo("/meetings");
    }

    @Test
    void moreMeetingsThanTheLimitIsA400NamingTheLimit() throws Exception {
        svc.close();
        svc = new TestService(dir.resolve("small"), 2, 10_000_000, 10_000, Duration.ofSeconds(5));
        var answer = svc.post(BATCH, TestService.batchOf("a", "b", "c"));
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("code").asText()).isEqualTo("BATCH_TOO_LARGE");
        assertThat(answer.json().path("limit").asInt()).isEqualTo(2);
        assertThat(answer.json().path("detail").asText()).contains("max-batch-meetings");
    }

    @Test
    void aTooShortTranscriptIsSkippedWithItsReasonAndTheOthersRun() throws Exception {
        String id = svc.post(BATCH, "{\"meetings\": [{\"title\": \"tiny\", \"transcript\": \"hi\"}, {\"title\": \"real\", \"transcript\": "
                + TestService.JSON.writeValueAsString(TestService.TRANSCRIPT) + "}]}").json().path("batch_id").asText();
        JsonNode batch = finished(id);
        assertThat(batch.path("skipped").asInt()).isEqualTo(1);
        assertThat(batch.path("completed").asInt()).isEqualTo(1);
        assertThat(batch.path("results").get(0).path("status").asText()).isEqualTo("skipped");
        assertThat(batch.path("results").get(0).path("error").asText()).contains("characters of speech");
    }

    @Test
    void tierOnDuplicateAndOptionsAreStored() throws Exception {
        String id = svc.post(BATCH, """
                {"meetings": [{"title": "board", "tier": "sensitive", "transcript": %s}],
                 "on_duplicate": "allow_duplicates", "options": {"priority": "high", "max_attempts": 5}}"""
                .formatted(TestService.JSON.writeValueAsString(TestService.TRANSCRIPT))).json().path("batch_id").asText();
        JsonNode batch = finished(id);
        assertThat(batch.path("on_duplicate").asText()).isEqualTo("allow_duplicates");
        assertThat(batch.path("options").path("priority").asText()).isEqualTo("high");
        assertThat(batch.path("options").path("max_attempts").asInt()).isEqualTo(5);
        assertThat(svc.store.batchGet(id).orElseThrow().priority()).as("the claim weight").isEqualTo(io.minutes.core.domain.Priority.HIGH);
        String meetingId = batch.path("results").get(0).path("meeting_id").asText();
        assertThat(svc.get("/api/v1/meetings/" + meetingId).json().path("tier").asText()).isEqualTo("sensitive");
    }

    /** The OpenAPI document had no schema for the minutes at all; scripts depend on their shape (issue 18). */
    @Test
    void theOpenApiDocumentDescribesTheMinutesTheServerAnswers() throws Exception {
        String id = svc.post(BATCH, TestService.batchOf("Release sync")).json().path("batch_id").asText();
        String meetingId = finished(id).path("results").get(0).path("meeting_id").asText();
        JsonNode meeting = svc.get("/api/v1/meetings/" + meetingId).json();
        JsonNode schemas = svc.get("/api/v1/openapi.json").json().path("components").path("schemas");

        assertThat(names(schemas.path("Meeting").path("properties"))).containsExactlyInAnyOrderElementsOf(names(meeting));
        assertThat(names(schemas.path("Analysis").path("properties")))
                .containsExactlyInAnyOrderElementsOf(names(meeting.path("analysis")));
        assertThat(names(schemas.path("ActionItem").path("properties")))
                .containsExactly("description", "owner", "due", "due_date", "evidence", "supported");
        assertThat(names(schemas.path("Finding").path("properties"))).containsExactly("text", "evidence", "supported");
        assertThat(names(schemas.path("Evidence").path("properties"))).containsExactly("segment", "start", "speaker", "quote");
        JsonNode served = meeting.path("analysis");
        for (String list : List.of("action_items", "decisions", "open_questions")) {
            String item = list.equals("action_items") ? "ActionItem" : "Finding";
            for (JsonNode each : served.path(list)) {
                assertThat(names(each)).as("a served %s", list)
                        .containsExactlyInAnyOrderElementsOf(names(schemas.path(item).path("properties")));
                if (!each.path("evidence").isNull()) {
                    assertThat(names(each.path("evidence"))).containsExactlyInAnyOrderElementsOf(
                            names(schemas.path("Evidence").path("properties")));
                }
            }
        }
        assertThat(svc.get("/api/v1/openapi.json").json().path("paths").path("/api/v1/meetings/{meeting_id}").path("get")
                .path("responses").path("200").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/Meeting");
    }

    /**
     * The status carries what the SSE provider_batch events and the web UI show (issue 17): the deadline and its
     * cut-over, the provider's own counts for the provider batches its meetings wait in; and the options it was
     * submitted with, lane, deadline, language and template included (issue 18). The schema says the same.
     */
    @Test
    void aBatchStatusCarriesItsDeadlineCutOverProviderBatchCountsAndOptions() throws Exception {
        svc.close();
        svc = new TestService(dir.resolve("openai"), "openai");
        java.time.Instant before = java.time.Instant.now();
        String id = svc.post(BATCH, TestService.batchWithOptions("""
                {"lane": "batch", "deadline": "8h", "language": "de", "template": "retrospective"}""",
                "Alpha", "Beta", "Gamma")).json().path("batch_id").asText();
        // as the batch lane packs its meetings and records the provider's counts at a poll
        java.time.Instant now = java.time.Instant.now();
        var due = svc.store.meetingsLaneDue(new io.minutes.core.port.ProviderBatchStore.LaneDueParams(now, 10));
        assertThat(due).hasSize(3);
        svc.store.providerBatchPack(new io.minutes.core.port.ProviderBatchStore.PackParams("mpb_1", "openai", "gpt-4o-mini",
                due.stream().map(m -> new io.minutes.core.port.ProviderBatchStore.PackLine(m.id(), 1_000)).toList(), 0, "n1",
                now, Duration.ofMinutes(5))).orElseThrow();
        svc.store.providerBatchRecord(new io.minutes.core.port.ProviderBatchStore.ProviderBatchRecordParams("mpb_1", "n1",
                io.minutes.core.port.ProviderBatchStore.ProviderBatchState.CREATED, null, "batch_abc",
                new io.minutes.core.port.ProviderBatches.Counts(3, 2, 0, 0), "in_progress", now, null, null, now,
                Duration.ofMinutes(5)));

        JsonNode status = svc.get(BATCH + "/" + id).json();

        assertThat(status.path("waiting").asInt()).isEqualTo(3);
        JsonNode options = status.path("options");
        assertThat(options.path("lane").asText()).isEqualTo("batch");
        assertThat(options.path("language").asText()).isEqualTo("de");
        assertThat(options.path("template").asText()).isEqualTo("retrospective");
        java.time.Instant deadline = java.time.Instant.parse(status.path("deadline").asText());
        assertThat(deadline).isBetween(before.plus(Duration.ofHours(8)).minusSeconds(1), now.plus(Duration.ofHours(8)).plusSeconds(1));
        assertThat(options.path("deadline").asText()).isEqualTo(status.path("deadline").asText());
        // 3 meetings left drain in one round of 4 calls at once (30 s); the buffer is 5 min
        assertThat(java.time.Instant.parse(status.path("cut_over").asText()))
                .isEqualTo(deadline.minus(Duration.ofMinutes(5)).minus(Duration.ofSeconds(30)));
        JsonNode providerBatch = status.path("provider_batches").get(0);
        assertThat(status.path("provider_batches")).hasSize(1);
        assertThat(providerBatch.path("provider_batch").asText()).isEqualTo("batch_abc");
        assertThat(providerBatch.path("status").asText()).isEqualTo("in_progress");
        assertThat(providerBatch.path("done").asInt()).isEqualTo(2);
        assertThat(providerBatch.path("total").asInt()).isEqualTo(3);
        assertThat(providerBatch.path("message").asText()).isEqualTo("in provider batch batch_abc: 2 of 3 done (in_progress)");

        JsonNode schemas = svc.get("/api/v1/openapi.json").json().path("components").path("schemas");
        assertThat(names(schemas.path("BatchStatus").path("properties"))).containsExactlyInAnyOrderElementsOf(names(status));
        assertThat(names(schemas.path("BatchOptions").path("properties"))).containsExactlyInAnyOrderElementsOf(names(options));
        assertThat(names(schemas.path("ProviderBatch").path("properties")))
                .containsExactlyInAnyOrderElementsOf(names(providerBatch));
        assertThat(names(schemas.path("Receipt").path("properties"))).containsExactlyInAnyOrderElementsOf(names(status.path("receipt")));
        assertThat(names(schemas.path("BatchResult").path("properties"))).containsAll(names(status.path("results").get(0)));
        assertThat(svc.get("/api/v1/openapi.json").json().path("paths").path(BATCH + "/{id}").path("get").path("responses")
                .path("200").path("content").path("application/json").path("schema").path("$ref").asText())
                .isEqualTo("#/components/schemas/BatchStatus");
    }

    @Test
    void aBatchWithABudgetHasItsBudgetInTheSchemaAndNoDeadlineOrProviderBatches() throws Exception {
        String id = svc.post(BATCH, TestService.batchWithOptions("{\"budget_usd\": 5}", "Release sync")).json()
                .path("batch_id").asText();
        JsonNode status = finished(id);
        assertThat(status.path("deadline").isNull()).isTrue();
        assertThat(status.path("cut_over").isNull()).isTrue();
        assertThat(status.path("provider_batches")).isEmpty();
        assertThat(status.path("options").path("lane").asText()).isEqualTo("realtime");
        assertThat(status.path("options").path("language").asText()).isEqualTo("auto");
        assertThat(status.path("options").path("deadline").isNull()).isTrue();
        JsonNode schemas = svc.get("/api/v1/openapi.json").json().path("components").path("schemas");
        assertThat(names(schemas.path("Budget").path("properties"))).containsExactlyInAnyOrderElementsOf(names(status.path("budget")));
        assertThat(names(schemas.path("BatchResult").path("properties"))).containsExactlyInAnyOrderElementsOf(
                names(status.path("results").get(0)));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void oneMeetingHasItsTranscriptMinutesAndAttempts() throws Exception {
        String id = svc.post(BATCH, TestService.batchOf("Release sync")).json().path("batch_id").asText();
        String meetingId = finished(id).path("results").get(0).path("meeting_id").asText();

        var meeting = svc.get("/api/v1/meetings/" + meetingId);
        assertThat(meeting.status()).isEqualTo(200);
        assertThat(meeting.json().path("batch_id").asText()).isEqualTo(id);
        assertThat(meeting.json().path("transcript").path("segments")).hasSize(3);
        assertThat(meeting.json().path("transcript").path("segments").get(0).path("speaker").asText()).isEqualTo("Alice");
        assertThat(meeting.json().path("analysis").path("summary").asText()).isNotBlank();
        assertThat(meeting.json().path("attempt_history")).hasSize(1);

        var missing = svc.get("/api/v1/meetings/mtg_nope");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().path("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(svc.get(BATCH + "/batch_nope").status()).isEqualTo(404);
    }

    @Test
    void batchesAreListedNewestFirstInPages() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) ids.add(svc.post(BATCH, TestService.batchOf("m" + i)).json().path("batch_id").asText());

        JsonNode first = svc.get(BATCH + "?limit=2").json();
        assertThat(first.path("batches")).hasSize(2);
        assertThat(first.path("batches").get(0).path("batch_id").asText()).isEqualTo(ids.get(2));
        assertThat(first.path("batches").get(1).path("batch_id").asText()).isEqualTo(ids.get(1));
        JsonNode second = svc.get(BATCH + "?limit=2&before=" + first.path("next_before").asText()).json();
        assertThat(second.path("batches")).hasSize(1);
        assertThat(second.path("batches").get(0).path("batch_id").asText()).isEqualTo(ids.get(0));
        assertThat(second.path("next_before").isNull()).isTrue();

        var bad = svc.get(BATCH + "?limit=0");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("errors").get(0).path("pointer").asText()).isEqualTo("?limit");
    }

    @Test
    void resultsComeAsNdjsonInInputOrderAndAsAZipOfMarkdown() throws Exception {
        String id = svc.post(BATCH, TestService.batchOf("Second title", "First title")).json().path("batch_id").asText();
        finished(id);

        var ndjson = svc.get(BATCH + "/" + id + "/results");
        assertThat(ndjson.status()).isEqualTo(200);
        assertThat(ndjson.header("Content-Type")).startsWith("application/x-ndjson");
        String[] lines = ndjson.body().strip().split("\n");
        assertThat(lines).hasSize(2);
        assertThat(TestService.JSON.readTree(lines[0]).path("title").asText()).isEqualTo("Second title");
        assertThat(TestService.JSON.readTree(lines[1]).path("analysis").path("summary").asText()).isNotBlank();

        HttpResponse<byte[]> zip = svc.http.send(svc.request(BATCH + "/" + id + "/results?format=zip").GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).isEqualTo("application/zip");
        List<String> names = new ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
                assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("# ");
            }
        }
        assertThat(names).containsExactly("0001-Second-title.md", "0002-First-title.md");

        var wrong = svc.get(BATCH + "/" + id + "/results?format=pdf");
        assertThat(wrong.status()).isEqualTo(400);
    }

    @Test
    void cancelStopsWhatIsLeftAndASecondCancelIsAConflict() throws Exception {
        svc.gate.close();
        String id = svc.post(BATCH, TestService.batchOf("a", "b", "c", "d", "e", "f", "g", "h")).json().path("batch_id").asText();

        var cancelled = svc.post(BATCH + "/" + id + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().path("cancelled_now").asInt()).isEqualTo(8);
        assertThat(cancelled.json().path("status").asText()).isEqualTo("cancelled");
        svc.gate.open();
        JsonNode batch = svc.get(BATCH + "/" + id).json();
        assertThat(batch.path("cancelled").asInt()).isEqualTo(8);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(svc.get("/api/v1/capacity").json().path("active").asInt()).isZero());
        assertThat(svc.get(BATCH + "/" + id).json().path("cancelled").asInt()).as("no cancelled meeting came back").isEqualTo(8);

        var again = svc.post(BATCH + "/" + id + "/cancel", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("code").asText()).isEqualTo("BATCH_FINISHED");
        assertThat(svc.post(BATCH + "/batch_nope/cancel", "").status()).isEqualTo(404);
    }

    @Test
    void retryQueuesOnlyTheFailedMeetingsAgain() throws Exception {
        String id = svc.post(BATCH, TestService.batchOf("fail once", "fine")).json().path("batch_id").asText();
        JsonNode batch = finished(id);
        assertThat(batch.path("status").asText()).isEqualTo("partial");
        assertThat(batch.path("results").get(0).path("error").asText()).contains("refused");

        var retry = svc.post(BATCH + "/" + id + "/retry", "");
        assertThat(retry.status()).isEqualTo(202);
        assertThat(retry.json().path("requeued").asInt()).isEqualTo(1);
        JsonNode after = finished(id);
        assertThat(after.path("status").asText()).isEqualTo("completed");
        assertThat(after.path("results").get(0).path("attempts").asInt()).isEqualTo(2);
        assertThat(after.path("results").get(1).path("attempts").asInt()).as("the completed one was not redone").isEqualTo(1);

        var nothing = svc.post(BATCH + "/" + id + "/retry", "");
        assertThat(nothing.status()).isEqualTo(409);
        assertThat(nothing.json().path("code").asText()).isEqualTo("NOTHING_TO_RETRY");
    }

    @Test
    void uploadedFilesBecomeMeetingsTitledByTheirNamesAndABrokenFileFailsAlone() throws Exception {
        Path good = dir.resolve("Weekly sync.vtt");
        Files.writeString(good, "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Alice>We decided to ship the release on Friday after the review.\n\n"
                + "00:00:06.000 --> 00:00:09.000\n<v Bob>I will write the release notes by Monday and send them out.\n");
        Path broken = dir.resolve("broken.srt");
        Files.writeString(broken, "1\n00:00:01,000 --> nonsense\nHello\n");
        var answer = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(good, broken), "sensitive", "replace"));

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        JsonNode batch = finished(answer.json().path("batch_id").asText());
        assertThat(batch.path("total").asInt()).isEqualTo(2);
        assertThat(batch.path("on_duplicate").asText()).isEqualTo("replace");
        assertThat(batch.path("results").get(0).path("title").asText()).isEqualTo("Weekly sync");
        // sensitive meetings go only to providers in allow-sensitive (issue 9): this service's sim is not one
        assertThat(batch.path("results").get(0).path("status").asText()).isEqualTo("failed");
        assertThat(batch.path("results").get(0).path("error").asText()).contains("sensitive tier").contains("allow-sensitive");
        assertThat(batch.path("results").get(1).path("status").asText()).isIn("failed", "skipped");
        assertThat(batch.path("results").get(1).path("error").asText()).contains("broken.srt");
        assertThat(svc.get("/api/v1/meetings/" + batch.path("results").get(0).path("meeting_id").asText()).json()
                .path("tier").asText()).isEqualTo("sensitive");
        try (var left = Files.list(dir.resolve("uploads"))) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith("upload-"))).as("spooled files removed").isEmpty();
        }
    }

    /**
     * Broke: a corrupt ZIP, an empty ZIP, a ZIP holding only a ZIP and a WebVTT file named .zip were accepted
     * by the upload API as 202 {"total":0,"status":"completed"}. The service reads uploads as run reads files.
     */
    @Test
    void everyUploadedArchiveIsAnItemAndAWebVttFileNamedZipIsReadAsWebVtt() throws Exception {
        byte[] corrupt = new byte[104];
        System.arraycopy(new byte[] {'P', 'K', 3, 4}, 0, corrupt, 0, 4);
        Path damaged = Files.write(dir.resolve("damaged.zip"), corrupt);
        Path empty = Files.write(dir.resolve("empty.zip"), zip(List.of()));
        Path nested = Files.write(dir.resolve("nested.zip"), zip(List.of(new Entry("inner.zip", zip(List.of(
                new Entry("standup.txt", TestService.TRANSCRIPT.getBytes(StandardCharsets.UTF_8))))))));
        Path vtt = Files.writeString(dir.resolve("yt.zip"), "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Alice>We decided to ship "
                + "the release on Friday after the review.\n\n00:00:06.000 --> 00:00:09.000\n<v Bob>I will write the release "
                + "notes by Monday and send them out.\n");

        var answer = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(damaged, empty, nested, vtt), null, null));

        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        JsonNode results = finished(answer.json().path("batch_id").asText()).path("results");
        assertThat(results).hasSize(4);
        assertThat(results.get(0).path("status").asText()).isEqualTo("failed");
        assertThat(results.get(0).path("error").asText()).contains("damaged.zip").doesNotContain("null");
        assertThat(results.get(1).path("status").asText()).isEqualTo("skipped");
        assertThat(results.get(1).path("reason").asText()).contains("empty.zip", "no transcripts or recordings");
        assertThat(results.get(2).path("status").asText()).isEqualTo("failed");
        assertThat(results.get(2).path("error").asText()).contains("nested.zip!/inner.zip", "inside a ZIP archive");
        assertThat(results.get(3).path("status").asText()).isEqualTo("completed");
    }

    private record Entry(String name, byte[] bytes) {
    }

    private static byte[] zip(List<Entry> entries) throws java.io.IOException {
        var bytes = new java.io.ByteArrayOutputStream();
        try (var zip = new java.util.zip.ZipOutputStream(bytes)) {
            for (Entry entry : entries) {
                zip.putNextEntry(new java.util.zip.ZipEntry(entry.name()));
                zip.write(entry.bytes());
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void anUploadWithoutFilesOrWithABadTierIsA400() throws Exception {
        var answer = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(), "top-secret", null));
        assertThat(answer.status()).isEqualTo(400);
        List<String> pointers = new ArrayList<>();
        answer.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/tier", "/files");
    }

    @Test
    void anUploadOverTheLimitIsA413WithOrWithoutAContentLength() throws Exception {
        svc.close();
        svc = new TestService(dir.resolve("small"), 1_000, 64 * 1024, 10_000, Duration.ofSeconds(5));
        Path big = dir.resolve("big.txt");
        Files.writeString(big, ("Alice: " + "words ".repeat(20) + "\n").repeat(2_000)); // ~270 KB

        var withLength = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(big), null, null));
        assertThat(withLength.status()).isEqualTo(413);
        assertThat(withLength.json().path("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
        assertThat(withLength.json().path("limit").asLong()).isEqualTo(64 * 1024);

        HttpRequest chunked = Multipart.chunked(svc.request(BATCH + "/upload"), big);
        var streamed = svc.send(chunked);
        assertThat(streamed.status()).isEqualTo(413);
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();

        var json = svc.post(BATCH, TestService.batchOf("x".repeat(70_000)));
        assertThat(json.status()).isEqualTo(413);
    }
}

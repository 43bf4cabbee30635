package io.minutes.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.core.port.ApiKeyStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 9 over real HTTP: on_duplicate applied to JSON and multipart submissions, deduplication kept
 * within each tenant, and budgets (refusal before anything is stored, exhaustion while running). The
 * provider-side call counter ({@link TestService#providerCalls}) proves which submissions paid.
 */
class NeverPayTwiceApiTest {
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

    private JsonNode finished(String batchId, String... auth) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + batchId, auth).json(),
                b -> !b.path("status").asText().equals("processing"));
    }

    /** A batch body: meetings as title, transcript pairs; {@code extra} holds on_duplicate and options. */
    private static String body(Map<String, Object> extra, String... titleAndTopic) {
        ObjectNode root = TestService.JSON.createObjectNode();
        var meetings = root.putArray("meetings");
        for (int i = 0; i < titleAndTopic.length; i += 2) {
            meetings.addObject().put("title", titleAndTopic[i]).put("transcript", TestService.transcriptAbout(titleAndTopic[i + 1]));
        }
        extra.forEach((k, v) -> root.set(k, TestService.JSON.valueToTree(v)));
        return root.toString();
    }

    private String submit(String body, String... auth) throws Exception {
        var answer = svc.post(BATCH, body, auth);
        assertThat(answer.status()).as(answer.body()).isEqualTo(202);
        return answer.json().path("batch_id").asText();
    }

    private static List<String> statuses(JsonNode batch) {
        List<String> s = new ArrayList<>();
        batch.path("results").forEach(r -> s.add(r.path("status").asText()));
        return s;
    }

    @Test
    void skipIsTheDefaultAndADuplicatePointsToTheEarlierMeetingWithinAndAcrossBatchesWithoutACall() throws Exception {
        JsonNode first = finished(submit(body(Map.of(), "Planning", "planning", "Planning again", "planning", "Retro", "retro")));
        assertThat(statuses(first)).containsExactly("completed", "skipped", "completed");
        String planning = first.path("results").get(0).path("meeting_id").asText();
        assertThat(first.path("results").get(1).path("duplicate_of").asText()).isEqualTo(planning);
        assertThat(first.path("results").get(1).path("error").asText()).startsWith("duplicate of meeting-1.txt").contains(planning);
        assertThat(first.path("status").asText()).isEqualTo("completed");
        assertThat(svc.providerCalls.get()).isEqualTo(2);

        JsonNode second = finished(submit(body(Map.of(), "Planning, re-exported", "planning", "New", "new")));

        assertThat(statuses(second)).containsExactly("skipped", "completed");
        assertThat(second.path("results").get(0).path("duplicate_of").asText()).isEqualTo(planning);
        assertThat(svc.providerCalls.get()).as("only the new meeting was sent").isEqualTo(3);
        String line = svc.get(BATCH + "/" + second.path("batch_id").asText() + "/results").body().split("\n")[0];
        assertThat(TestService.JSON.readTree(line).path("analysis")).as("the duplicate shows the earlier minutes")
                .isEqualTo(TestService.JSON.readTree(svc.get(BATCH + "/" + first.path("batch_id").asText() + "/results")
                        .body().split("\n")[0]).path("analysis"));
    }

    @Test
    void replaceProcessesTheMeetingAgainAndMarksTheEarlierOneReplaced() throws Exception {
        JsonNode first = finished(submit(body(Map.of(), "Planning", "planning")));
        String old = first.path("results").get(0).path("meeting_id").asText();

        JsonNode replaced = finished(submit(body(Map.of("on_duplicate", "replace"), "Planning", "planning")));

        assertThat(statuses(replaced)).containsExactly("completed");
        assertThat(svc.providerCalls.get()).as("replace pays again, whatever the cache holds").isEqualTo(2);
        String newer = replaced.path("results").get(0).path("meeting_id").asText();
        assertThat(svc.get("/api/v1/meetings/" + old).json().path("replaced_by").asText()).isEqualTo(newer);
        assertThat(replaced.path("on_duplicate").asText()).isEqualTo("replace");
    }

    @Test
    void allowDuplicatesKeepsEveryMeetingAndTheResultCacheSparesTheCalls() throws Exception {
        finished(submit(body(Map.of(), "Planning", "planning")));

        JsonNode again = finished(submit(body(Map.of("on_duplicate", "allow_duplicates"), "Planning", "planning", "Copy", "planning")));

        assertThat(statuses(again)).containsExactly("completed", "completed");
        assertThat(again.path("results").get(0).path("duplicate_of").isNull()).isTrue();
        assertThat(svc.providerCalls.get()).isEqualTo(1);
    }

    @Test
    void meetingsGivenWithoutATitleAreNotDuplicatesByTheirMadeUpTitle() throws Exception {
        String untitled = "{\"meetings\": [{\"transcript\": %s}]}";
        finished(submit(untitled.formatted(TestService.JSON.writeValueAsString(TestService.transcriptAbout("one")))));
        JsonNode other = finished(submit(untitled.formatted(TestService.JSON.writeValueAsString(TestService.transcriptAbout("two")))));
        assertThat(other.path("results").get(0).path("title").asText()).isEqualTo("Meeting 1");
        assertThat(statuses(other)).containsExactly("completed");
    }

    @Test
    void uploadsAreDeduplicatedAsTheirOnDuplicateSays() throws Exception {
        Path file = dir.resolve("Weekly sync.vtt");
        Files.writeString(file, "WEBVTT\n\n00:00:01.000 --> 00:00:05.000\n<v Alice>We decided to ship the release on Friday after the review.\n\n"
                + "00:00:06.000 --> 00:00:09.000\n<v Bob>I will write the release notes by Monday and send them out.\n");
        var first = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), null, null));
        JsonNode done = finished(first.json().path("batch_id").asText());

        var skipped = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), null, null));
        var allowed = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), null, "allow_duplicates"));

        JsonNode skip = finished(skipped.json().path("batch_id").asText());
        assertThat(statuses(skip)).containsExactly("skipped");
        assertThat(skip.path("results").get(0).path("duplicate_of").asText()).isEqualTo(done.path("results").get(0).path("meeting_id").asText());
        assertThat(statuses(finished(allowed.json().path("batch_id").asText()))).containsExactly("completed");
        assertThat(svc.providerCalls.get()).as("the allowed duplicate came from the cache").isEqualTo(1);
    }

    @Test
    void everyChoiceOfTheWebUisProcessItAgainMenuIsAcceptedByTheUploadApi() throws Exception {
        String app = svc.get("/app.js").body();
        java.util.regex.Matcher menu = java.util.regex.Pattern.compile(
                "h\\(\"select\", \\{ id: \"on-duplicate\".*?\\)\\)\\)", java.util.regex.Pattern.DOTALL).matcher(app);
        assertThat(menu.find()).as("the UI's on-duplicate menu in app.js").isTrue();
        List<String> values = new ArrayList<>();
        java.util.regex.Matcher option = java.util.regex.Pattern.compile("value: \"([a-z_]+)\"").matcher(menu.group());
        while (option.find()) values.add(option.group(1));
        assertThat(values).as("what the UI sends as on_duplicate").hasSize(3).contains("skip", "replace");

        Path file = dir.resolve("sync.txt");
        Files.writeString(file, TestService.transcriptAbout("the release"));
        for (String value : values) {
            var answer = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), "ordinary", value));
            assertThat(answer.status()).as("on_duplicate=" + value + ": " + answer.body()).isEqualTo(202);
            finished(answer.json().path("batch_id").asText());
        }
    }

    @Test
    void batchesSubmittedBeforeTheFirstApiKeyStayVisibleToThatKeysTenantOnly() throws Exception {
        String before = submit(body(Map.of(), "Planning", "planning"));
        finished(before);
        String keyA = ApiKeys.generate();
        String keyB = ApiKeys.generate();
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(keyA), Instant.now()));
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", ApiKeys.hash(keyB), Instant.now()));
        String[] a = {"Authorization", "Bearer " + keyA};
        String[] b = {"Authorization", "Bearer " + keyB};
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get(BATCH).status() == 401);

        assertThat(svc.get(BATCH + "/" + before, a).status()).as("the first key's tenant owns it").isEqualTo(200);
        assertThat(svc.get(BATCH, a).body()).contains(before);
        assertThat(svc.get(BATCH + "/" + before, b).status()).isEqualTo(404);
        assertThat(svc.get(BATCH, b).body()).doesNotContain(before);
    }

    @Test
    void aTenantsMeetingsAreDeduplicatedAgainstItsOwnOnly() throws Exception {
        String keyA = ApiKeys.generate();
        String keyB = ApiKeys.generate();
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(keyA), Instant.now()));
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", ApiKeys.hash(keyB), Instant.now()));
        String[] a = {"Authorization", "Bearer " + keyA};
        String[] b = {"Authorization", "Bearer " + keyB};
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get(BATCH).status() == 401);

        JsonNode acme = finished(submit(body(Map.of(), "Board", "the board"), a), a);
        JsonNode globex = finished(submit(body(Map.of(), "Board", "the board", "Board copy", "the board"), b), b);

        assertThat(statuses(globex)).as("acme's meeting is not globex's").containsExactly("completed", "skipped");
        String globexBoard = globex.path("results").get(0).path("meeting_id").asText();
        assertThat(globex.path("results").get(1).path("duplicate_of").asText()).isEqualTo(globexBoard);
        assertThat(globex.toString()).doesNotContain(acme.path("batch_id").asText())
                .doesNotContain(acme.path("results").get(0).path("meeting_id").asText());

        JsonNode acmeAgain = finished(submit(body(Map.of(), "Board, again", "the board"), a), a);
        assertThat(statuses(acmeAgain)).containsExactly("skipped");
        assertThat(acmeAgain.path("results").get(0).path("duplicate_of").asText())
                .isEqualTo(acme.path("results").get(0).path("meeting_id").asText());
        assertThat(acmeAgain.toString()).doesNotContain(globex.path("batch_id").asText()).doesNotContain(globexBoard);
    }

    @Test
    void aTenantCannotLearnThatAnotherTenantProcessedATranscriptFromAFreeCachedAnswer() throws Exception {
        String keyA = ApiKeys.generate();
        String keyB = ApiKeys.generate();
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("acme", ApiKeys.hash(keyA), Instant.now()));
        svc.store.apiKeyCreate(new ApiKeyStore.ApiKeyCreateParams("globex", ApiKeys.hash(keyB), Instant.now()));
        String[] a = {"Authorization", "Bearer " + keyA};
        String[] b = {"Authorization", "Bearer " + keyB};
        await().atMost(Duration.ofSeconds(10)).until(() -> svc.get(BATCH).status() == 401);
        String allow = "allow_duplicates";

        finished(submit(body(Map.of("on_duplicate", allow), "Board", "the board"), a), a);
        JsonNode globex = finished(submit(body(Map.of("on_duplicate", allow), "Board", "the board"), b), b);
        assertThat(svc.providerCalls.get()).as("globex's answer is its own, not acme's cached one").isEqualTo(2);
        assertThat(globex.path("results").get(0).path("tokens").asLong()).as("it used tokens: no free instant answer").isPositive();

        JsonNode globexAgain = finished(submit(body(Map.of("on_duplicate", allow), "Board", "the board"), b), b);
        assertThat(statuses(globexAgain)).containsExactly("completed");
        assertThat(svc.providerCalls.get()).as("a tenant's own cached answer still spares the call").isEqualTo(2);
    }

    @Test
    void aBatchWhoseEstimatePassesItsBudgetIsRefusedWithTheEstimateAndNothingIsStored() throws Exception {
        svc.maxCostPerCall = 0.01;
        var refused = svc.post(BATCH, body(Map.of("options", Map.of("budget_usd", 0.025)), "A", "a", "B", "b", "C", "c"));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().path("code").asText()).isEqualTo("OVER_BUDGET");
        assertThat(refused.json().path("detail").asText()).contains("$0.0300 at most for 3 meeting(s)")
                .contains("allow_over_budget");
        assertThat(refused.json().path("budget_usd").asDouble()).isEqualTo(0.025);
        JsonNode estimate = refused.json().path("estimate");
        assertThat(estimate.path("meetings").asInt()).isEqualTo(3);
        assertThat(estimate.path("input_tokens").asLong()).isEqualTo(3000);
        assertThat(estimate.path("max_output_tokens").asLong()).isEqualTo(1500);
        assertThat(estimate.path("max_cost_usd").asDouble()).isCloseTo(0.03, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(svc.get(BATCH).json().path("batches")).as("nothing stored").isEmpty();
        assertThat(svc.providerCalls.get()).isZero();

        var invalid = svc.post(BATCH, body(Map.of("options", Map.of("budget_usd", -1, "allow_over_budget", "yes")), "A", "a"));
        List<String> pointers = new ArrayList<>();
        invalid.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/options/budget_usd", "/options/allow_over_budget");
    }

    @Test
    void overBudgetAllowedRunsUntilSpentPlusReservedWouldPassItThenSkipsTheRest() throws Exception {
        svc.maxCostPerCall = 0.01;
        svc.costPerCall = 0.004;
        svc.gate.close(); // the first calls hold their reservations while the third asks for its own
        String id = submit(body(Map.of("options", Map.of("budget_usd", 0.025, "allow_over_budget", true)),
                "A", "a", "B", "b", "C", "c"));
        await().atMost(Duration.ofSeconds(30)).until(() -> svc.get(BATCH + "/" + id).json().path("skipped").asInt() == 1);
        svc.gate.open();

        JsonNode batch = finished(id);

        assertThat(batch.path("status").asText()).isEqualTo("budget_exhausted");
        assertThat(batch.path("completed").asInt()).isEqualTo(2);
        assertThat(svc.providerCalls.get()).isEqualTo(2);
        JsonNode skipped = null;
        for (JsonNode r : batch.path("results")) if (r.path("status").asText().equals("skipped")) skipped = r;
        assertThat(skipped.path("error").asText()).isEqualTo("budget_exhausted: spent $0.0000 + reserved $0.0200 + "
                + "this meeting's up to $0.0100 would pass the budget of $0.0250");
        assertThat(batch.path("budget").path("limit_usd").asDouble()).isEqualTo(0.025);
        assertThat(batch.path("budget").path("spent_usd").asDouble()).isCloseTo(0.008, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(batch.path("budget").path("reserved_usd").asDouble()).isZero();
        assertThat(batch.path("budget").path("exhausted_meetings").asInt()).isEqualTo(1);
        assertThat(batch.path("options").path("budget_usd").asDouble()).isEqualTo(0.025);
        assertThat(batch.path("options").path("allow_over_budget").asBoolean()).isTrue();
        assertThat(svc.get(BATCH).json().path("batches").get(0).path("status").asText()).isEqualTo("budget_exhausted");
    }

    @Test
    void theEstimateCountsNeitherDuplicatesNorCachedAnswersButReplaceDropsTheCache() throws Exception {
        svc.maxCostPerCall = 0.01;
        finished(submit(body(Map.of(), "A", "a", "B", "b")));
        assertThat(svc.providerCalls.get()).isEqualTo(2);

        JsonNode withNew = finished(submit(body(Map.of("options", Map.of("budget_usd", 0.015)), "A", "a", "B", "b", "C", "c")));
        assertThat(statuses(withNew)).containsExactly("skipped", "skipped", "completed");
        JsonNode cached = finished(submit(body(Map.of("on_duplicate", "allow_duplicates", "options", Map.of("budget_usd", 0.005)),
                "A", "a", "B", "b")));
        assertThat(statuses(cached)).containsExactly("completed", "completed");
        assertThat(svc.providerCalls.get()).isEqualTo(3);

        var replace = svc.post(BATCH, body(Map.of("on_duplicate", "replace", "options", Map.of("budget_usd", 0.005)), "A", "a"));
        assertThat(replace.status()).isEqualTo(400);
        assertThat(replace.json().path("code").asText()).isEqualTo("OVER_BUDGET");
        assertThat(replace.json().path("estimate").path("meetings").asInt()).isEqualTo(1);
    }

    @Test
    void uploadsTakeTheBudgetAsFieldsOfTheirOwnOrInOptions() throws Exception {
        svc.maxCostPerCall = 0.01;
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, TestService.transcriptAbout("the upload"));
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("budget_usd", "0.001");
        var refused = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), fields));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("code").asText()).isEqualTo("OVER_BUDGET");

        fields.put("budget_usd", "lots");
        fields.put("allow_over_budget", "maybe");
        var invalid = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), fields));
        List<String> pointers = new ArrayList<>();
        invalid.json().path("errors").forEach(e -> pointers.add(e.path("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/budget_usd", "/allow_over_budget");

        fields.clear();
        fields.put("options", "{\"budget_usd\": 0.001}");
        fields.put("budget_usd", "0.002");
        var twice = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), fields));
        assertThat(twice.json().path("errors").get(0).path("detail").asText()).contains("given both");

        fields.clear();
        fields.put("options", "{\"budget_usd\": 0.001}");
        fields.put("allow_over_budget", "true");
        var accepted = svc.send(Multipart.of(svc.request(BATCH + "/upload"), List.of(file), fields));
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
        JsonNode batch = finished(accepted.json().path("batch_id").asText());
        assertThat(batch.path("status").asText()).isEqualTo("budget_exhausted");
        assertThat(svc.providerCalls.get()).isZero();
    }
}

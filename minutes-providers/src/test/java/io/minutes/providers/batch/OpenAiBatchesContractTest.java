package io.minutes.providers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.Failure;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.ProviderBatches.Remote;
import io.minutes.core.port.ProviderBatches.Status;
import io.minutes.core.testing.TestRequests;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.emulator.BatchEmulator;
import io.minutes.providers.emulator.OpenAiBatchEmulator;
import io.minutes.providers.openai.OpenAiBatches.FileExpiry;
import io.minutes.providers.openai.OpenAiChat;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

class OpenAiBatchesContractTest extends ProviderBatchesContract {

    private OpenAiBatchEmulator openAi() throws Exception {
        return (OpenAiBatchEmulator) emulator();
    }

    @Override
    protected BatchEmulator newEmulator() throws Exception {
        return new OpenAiBatchEmulator();
    }

    @Override
    protected String baseUrl() {
        return ((OpenAiBatchEmulator) emulator).baseUrl();
    }

    @Override
    protected String apiKey() {
        return OpenAiBatchEmulator.KEY;
    }

    @Override
    protected String model() {
        return "gpt-4o-mini";
    }

    @Override
    protected ProviderBatches client(ProviderAnalyzers.Common common) {
        return client(common, Duration.ofHours(24));
    }

    private static ProviderBatches client(ProviderAnalyzers.Common common, Duration retention) {
        return ProviderAnalyzers.openAiBatches(common, OpenAiChat.StructuredOutput.AUTO, 2_000_000, FileExpiry.of(retention));
    }

    @Test
    void theFilesAreGivenTheRetentionAsTheirExpiryAtTheProvider() throws Exception {
        openAi();
        ProviderBatches client = client(common(null), Duration.ofHours(2));
        var requests = meetings(2, "EMULATE:none");
        requests.put("m-broken", TestRequests.request("m-broken", "Broken", meeting("EMULATE:server_error")));
        Remote done = ended(client, submit(client, "intent-expiry", lines(client, requests)).id());
        assertThat(results(client, done, requests)).hasSize(3);

        assertThat(openAi().expiries("batch")).as("the input outlives the batch's 24 h window")
                .containsExactly(Duration.ofHours(25));
        assertThat(openAi().expiries("batch_output")).as("the output and error files: the retention")
                .containsExactly(Duration.ofHours(2));
        assertThat(openAi().filesHeld("batch_output")).isEqualTo(2);
    }

    @Test
    void theExpiryIsTheRetentionClampedToWhatTheFilesApiAccepts() {
        assertThat(FileExpiry.of(Duration.ofHours(24))).isEqualTo(new FileExpiry(25 * 3_600, 24 * 3_600));
        assertThat(FileExpiry.of(Duration.ofMinutes(10))).as("at least an hour").isEqualTo(new FileExpiry(25 * 3_600, 3_600));
        assertThat(FileExpiry.of(Duration.ofDays(90))).as("at most 30 days").isEqualTo(new FileExpiry(2_592_000, 2_592_000));
        assertThat(FileExpiry.of(Duration.ZERO)).as("0, keep forever: the longest the provider keeps them")
                .isEqualTo(new FileExpiry(2_592_000, 2_592_000));
    }

    @Test
    void theEmulatorRefusesAnExpiryOutsideTheReferencesRange() throws Exception {
        openAi();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        String body = "{\"input_file_id\":\"file-x\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\","
                + "\"output_expires_after\":{\"anchor\":\"created_at\",\"seconds\":60}}";
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/batches"))
                .header("authorization", "Bearer " + OpenAiBatchEmulator.KEY).header("content-type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("output_expires_after.seconds", "between 3600 and 2592000");
        assertThat(openAi().batchesCreated()).isZero();
    }

    @Override
    protected JsonNode body(JsonNode line) {
        assertThat(line.path("method").asText()).isEqualTo("POST");
        assertThat(line.path("url").asText()).isEqualTo("/v1/chat/completions");
        return line.path("body");
    }

    @Override
    protected void assertRealtimeShape(JsonNode body) {
        assertThat(body.path("response_format").path("type").asText()).isEqualTo("json_schema");
        assertThat(body.path("response_format").path("json_schema").path("strict").asBoolean()).isTrue();
        assertThat(body.path("max_tokens").asInt()).isEqualTo(1_000);
        assertThat(body.has("service_tier")).as("the batch lane is not flex").isFalse();
    }

    @Override
    protected int held() {
        return ((OpenAiBatchEmulator) emulator).filesHeld("batch") + ((OpenAiBatchEmulator) emulator).filesHeld("batch_output");
    }

    @Test
    void stagingAgainAfterACrashFindsTheEarlierUploadInsteadOfUploadingAgain() throws Exception {
        ProviderBatches client = client();
        List<ProviderBatches.Line> lines = lines(client, meetings(3, ""));

        String first = client.stage("intent-upload", lines);
        String again = client(common(null)).stage("intent-upload", lines);
        String other = client.stage("intent-other", lines);

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
        assertThat(openAi().filesHeld("batch")).isEqualTo(2);
    }

    @Test
    void aBatchInProgressIsFoundByTheKeyInItsMetadata() throws Exception {
        openAi().running(java.time.Duration.ofSeconds(20));
        ProviderBatches client = client();
        java.time.Instant intent = java.time.Instant.now();
        Remote ours = submit(client, "intent-running", lines(client, meetings(2, "")));
        submit(client, "intent-later", lines(client, meetings(2, "")));

        Remote found = client(common(null)).find("intent-running", intent, 2).orElseThrow();

        assertThat(found.id()).isEqualTo(ours.id());
        assertThat(found.key()).isEqualTo("intent-running");
        assertThat(found.status()).isIn(Status.VALIDATING, Status.IN_PROGRESS);
    }

    @Test
    void aBatchOverTheEnqueuedTokenLimitFailsAsEnqueuedTokensFullNotAsRefused() throws Exception {
        openAi().running(java.time.Duration.ofSeconds(20));
        ProviderBatches client = client();
        Remote first = submit(client, "intent-fits", lines(client, meetings(2, "")));
        long waiting = openAi().enqueuedTokens(model());
        openAi().enqueuedTokenLimit(waiting * 3 / 2); // the first fits, the first and a second as large do not
        Remote second = submit(client, "intent-over", lines(client, meetings(2, "")));

        Remote failed = ended(client, second.id());

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.failureCause()).isEqualTo(Failure.Cause.ENQUEUED_TOKENS_FULL);
        assertThat(failed.failure()).contains("Enqueued token limit reached for gpt-4o-mini");
        assertThat(Failure.Cause.ENQUEUED_TOKENS_FULL.kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(client.status(first.id()).status()).isIn(Status.VALIDATING, Status.IN_PROGRESS);
    }

    @Test
    void anEnqueuedTokenLimitRefusedAtCreateIsEnqueuedTokensFull() throws Exception {
        openAi().enqueuedLimitAtCreate(true).running(java.time.Duration.ofSeconds(20));
        ProviderBatches client = client();
        submit(client, "intent-fits", lines(client, meetings(2, "")));
        openAi().enqueuedTokenLimit(openAi().enqueuedTokens(model()) * 3 / 2);
        List<ProviderBatches.Line> over = lines(client, meetings(2, ""));
        String staged = client.stage("intent-over", over);

        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> client.create("intent-over", staged, over));

        assertThat(e.failure().cause()).isEqualTo(Failure.Cause.ENQUEUED_TOKENS_FULL);
        assertThat(e.failure().usesAnAttempt()).isFalse();
        assertThat(openAi().batchesCreated()).isEqualTo(1);
    }

    @Test
    void aBatchWithAnInvalidLineIsRefusedNamingTheLine() throws Exception {
        ProviderBatches client = client();
        List<ProviderBatches.Line> lines = new ArrayList<>(lines(client, meetings(2, "")));
        ProviderBatches.Line good = lines.get(1);
        lines.set(1, new ProviderBatches.Line(good.customId(), good.json().replace("/v1/chat/completions", "/v1/embeddings"),
                good.inputTokens(), good.maxOutputTokens(), good.maxCostUsd()));

        Remote failed = ended(client, submit(client, "intent-invalid", lines).id());

        assertThat(failed.status()).isEqualTo(Status.FAILED);
        assertThat(failed.failureCause()).isEqualTo(Failure.Cause.REFUSED_REQUEST);
        assertThat(failed.failure()).contains("line 2").contains("invalid_url");
    }

    private Analyzer flex() throws Exception {
        emulator();
        return ProviderAnalyzers.openAiWithFlex(common(null), OpenAiChat.StructuredOutput.AUTO, CallAdmission.NONE);
    }

    private static Analyzer.Request inFlex(Analyzer.Request request) {
        return request.inLane(io.minutes.core.domain.Lane.FLEX);
    }

    @Test
    void aFlexCallRefusedForCapacityIsFlexUnavailableAndDoesNotPauseTheProvider() throws Exception {
        openAi().flexRefusedShare(1.0);

        AnalyzerException e = catchThrowableOfType(AnalyzerException.class,
                () -> flex().analyze(inFlex(TestRequests.request("m-1", "Review 1", meeting("")))));

        assertThat(e.failure().cause()).isEqualTo(Failure.Cause.FLEX_UNAVAILABLE);
        assertThat(e.failure().isTransient()).isTrue();
        assertThat(e.failure().usesAnAttempt()).isFalse();
        assertThat(e.failure().countedByProvider()).isFalse();
        assertThat(rateLimited).as("not the rate limit: realtime calls go on").isEmpty();
        assertThat(openAi().flexRefused()).isEqualTo(1);
    }

    @Test
    void aFlexCallAnsweredCostsTheFlexRate() throws Exception {
        openAi().flexRefusedShare(0.0).cachedTokens(0);

        Analyzer.Result result = flex().analyze(inFlex(TestRequests.request("m-1", "Review 1", meeting(""))));

        double list = Prices.builtIn().tokensCost(model(), result.usage().inputTokens(), result.usage().outputTokens());
        assertThat(result.usage().costUsd()).isCloseTo(list / 2, within(1e-12)).isPositive();
        assertThat(result.lane()).isEqualTo(io.minutes.core.domain.Lane.FLEX);
        assertThat(result.listCostUsd()).isCloseTo(list, within(1e-12));
        assertThat(openAi().answeredPerMeeting()).containsEntry("Review 1", 1);
        assertThat(openAi().flexAnswered()).as("sent with service_tier flex").isEqualTo(1);
    }

    @Test
    void aRequestNotInTheFlexLaneGoesRealtimeAtTheListPriceThroughTheSameAnalyzer() throws Exception {
        openAi().flexRefusedShare(1.0).cachedTokens(0);

        Analyzer.Result result = flex().analyze(TestRequests.request("m-1", "Review 1", meeting("")));

        double list = Prices.builtIn().tokensCost(model(), result.usage().inputTokens(), result.usage().outputTokens());
        assertThat(result.usage().costUsd()).isCloseTo(list, within(1e-12)).isPositive();
        assertThat(result.lane()).isEqualTo(io.minutes.core.domain.Lane.REALTIME);
        assertThat(result.listCostUsd()).as("the same as its cost").isNull();
        assertThat(openAi().flexRefused()).isZero();
        assertThat(openAi().flexAnswered()).isZero();
    }

    @Test
    void cachedPromptTokensOfALineCostTheCachedRate() throws Exception {
        openAi().cachedTokens(200);
        ProviderBatches client = client();
        var requests = meetings(1, "");
        Remote done = ended(client, submit(client, "intent-cached", lines(client, requests)).id());
        var answered = (ProviderBatches.LineResult.Answered) results(client, done, requests).getFirst();

        long in = answered.result().usage().inputTokens();
        long out = answered.result().usage().outputTokens();
        double uncached = Prices.builtIn().atLane(Prices.Lane.BATCH).tokensCost(model(), in, out);
        assertThat(answered.result().usage().costUsd()).isLessThan(uncached)
                .isCloseTo(Prices.builtIn().atLane(Prices.Lane.BATCH).tokensCost(model(), in, 200, out), within(1e-12));
    }

    @Test
    void cachedPromptTokensOfARealtimeCallCostTheCachedRate() throws Exception {
        openAi().cachedTokens(200);
        emulator();
        Analyzer realtime = ProviderAnalyzers.openAi(common(null), OpenAiChat.StructuredOutput.AUTO, CallAdmission.NONE);

        Analyzer.Result result = realtime.analyze(TestRequests.request("m-1", "Review 1", meeting("")));

        long in = result.usage().inputTokens();
        long out = result.usage().outputTokens();
        assertThat(result.usage().costUsd()).isCloseTo(Prices.builtIn().tokensCost(model(), in, 200, out), within(1e-12))
                .isLessThan(Prices.builtIn().tokensCost(model(), in, out));
    }

    @Test
    void finalizingComesAfterEveryLineRanAndBeforeTheResults() throws Exception {
        openAi().finalizing(java.time.Duration.ofSeconds(2)).running(java.time.Duration.ofMillis(200));
        ProviderBatches client = client();
        Remote created = submit(client, "intent-finalizing", lines(client, meetings(4, "")));

        Remote finalizing = org.awaitility.Awaitility.await().atMost(WAIT).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> client.status(created.id()), r -> r.status() == Status.FINALIZING || r.status().ended());

        assertThat(finalizing.status()).isEqualTo(Status.FINALIZING);
        assertThat(finalizing.status().ended()).isFalse();
        assertThat(finalizing.counts().succeeded()).isEqualTo(4);
        assertThat(ended(client, created.id()).status()).isEqualTo(Status.COMPLETED);
    }
}

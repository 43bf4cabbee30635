package io.minutes.providers.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.RateLimitSnapshot;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.AnalyzerException;
import io.minutes.core.port.ProviderBatches;
import io.minutes.core.port.ProviderBatches.LineResult;
import io.minutes.core.port.ProviderBatches.Remote;
import io.minutes.core.port.ProviderBatches.Status;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.testing.TestRequests;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.cost.Prices;
import io.minutes.providers.emulator.BatchEmulator;
import io.minutes.providers.http.ProviderHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The contract of {@link ProviderBatches}, run against each provider's client and its emulator over real HTTP:
 * lines matched by custom id whatever the order, expiry and cancel keep what ran, errored lines classified as in
 * realtime, a batch found by its key after a crash, a 50,000-line output read in constant memory, the early 404,
 * discard, and the client's own guards.
 */
abstract class ProviderBatchesContract {
    protected static final Duration WAIT = Duration.ofSeconds(30);
    protected BatchEmulator emulator;
    protected final List<String> rateLimited = Collections.synchronizedList(new ArrayList<>());

    /** A fresh emulator of this provider. */
    protected abstract BatchEmulator newEmulator() throws Exception;

    protected abstract String baseUrl();

    protected abstract String apiKey();

    protected abstract String model();

    /** This provider's client over {@link #common}. */
    protected abstract ProviderBatches client(ProviderAnalyzers.Common common);

    /** The request body (what the realtime call sends) inside one line's JSON. */
    protected abstract JsonNode body(JsonNode line);

    @AfterEach
    void stopEmulator() {
        if (emulator != null) emulator.close();
    }

    protected BatchEmulator emulator() throws Exception {
        if (emulator == null) emulator = newEmulator();
        return emulator;
    }

    protected ProviderAnalyzers.Common common(Long contextTokens) {
        RateLimitObserver observer = new RateLimitObserver() {
            @Override
            public void observed(String provider, RateLimitSnapshot snapshot) {
            }

            @Override
            public void rateLimited(String provider, Duration retryAfter) {
                rateLimited.add(provider);
            }
        };
        return new ProviderAnalyzers.Common(baseUrl(), model(), apiKey(), "set the API key", 1_000, contextTokens,
                new ProviderHttp.Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(30)), Prices.builtIn(), observer, Clock.systemUTC());
    }

    protected ProviderBatches client() throws Exception {
        emulator();
        return client(common(null));
    }

    static Transcript meeting(String extra) {
        return new Transcript("vtt", List.of(
                new Segment("Alice", 0.0, 6.5, "Welcome everyone, today we review the launch plan and the budget."),
                new Segment("Bob", 6.5, 14.0, "The audit is late, so I propose we move the launch to March. " + extra),
                new Segment("Alice", 14.0, 20.0, "Agreed, we decided to move the launch to March.")));
    }

    /** {@code n} meetings by custom id, titled "Review 1".., each with {@code extra} in its transcript. */
    static Map<String, Analyzer.Request> meetings(int n, String extra) {
        Map<String, Analyzer.Request> out = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) out.put("m-" + i, TestRequests.request("m-" + i, "Review " + i, meeting(extra)));
        return out;
    }

    static List<ProviderBatches.Line> lines(ProviderBatches client, Map<String, Analyzer.Request> requests) throws AnalyzerException {
        List<ProviderBatches.Line> lines = new ArrayList<>();
        for (var e : requests.entrySet()) lines.add(client.line(e.getKey(), e.getValue()).orElseThrow());
        return lines;
    }

    static Remote submit(ProviderBatches client, String key, List<ProviderBatches.Line> lines) throws AnalyzerException {
        return client.create(key, client.stage(key, lines), lines);
    }

    static Remote ended(ProviderBatches client, String id) {
        AtomicReference<Remote> last = new AtomicReference<>();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50))
                .ignoreExceptionsMatching(e -> e instanceof AnalyzerException a && a.failure().isTransient()).until(() -> {
            last.set(client.status(id));
            return last.get().status().ended();
        });
        return last.get();
    }

    static List<LineResult> results(ProviderBatches client, Remote remote, Map<String, Analyzer.Request> requests) throws AnalyzerException {
        List<LineResult> out = new ArrayList<>();
        client.results(remote, requests::get, out::add);
        return out;
    }

    @Test
    void linesAreAnsweredAndMatchedByCustomIdWhateverTheOrderTheProviderReturnsThem() throws Exception {
        ProviderBatches client = client();
        Map<String, Analyzer.Request> requests = meetings(20, "");
        Remote created = submit(client, "intent-1", lines(client, requests));
        assertThat(created.status()).isIn(Status.VALIDATING, Status.IN_PROGRESS);

        Remote done = ended(client, created.id());
        List<LineResult> results = results(client, done, requests);

        assertThat(done.status()).isEqualTo(Status.COMPLETED);
        assertThat(done.counts().total()).isEqualTo(20);
        assertThat(done.counts().succeeded()).isEqualTo(20);
        assertThat(results).extracting(LineResult::customId).containsExactlyInAnyOrderElementsOf(requests.keySet());
        assertThat(results).extracting(LineResult::customId).as("the provider's order, not ours")
                .isNotEqualTo(List.copyOf(requests.keySet()));
        for (LineResult r : results) {
            assertThat(r).isInstanceOf(LineResult.Answered.class);
            LineResult.Answered a = (LineResult.Answered) r;
            String title = requests.get(a.customId()).title();
            assertThat(a.result().analysis().title()).isEqualTo(title);
            assertThat(a.result().analysis().summary()).as("the answer of this very meeting").contains("Minutes of " + title + ":");
            assertThat(a.result().analysis().participants()).extracting(p -> p.name()).contains("Alice", "Bob");
            assertThat(a.result().analysis().participants()).allSatisfy(p -> assertThat(p.words()).isPositive());
            assertThat(a.result().usage().inputTokens()).isPositive();
            assertThat(a.result().usage().costUsd()).as("the batch price: half the list price")
                    .isCloseTo(a.listCostUsd() / 2, org.assertj.core.api.Assertions.within(1e-12)).isPositive();
        }
        assertThat(emulator.answeredPerMeeting()).hasSize(20).allSatisfy((meeting, times) -> assertThat(times).isEqualTo(1));
    }

    @Test
    void aLineAsksExactlyWhatTheRealtimeCallAsks() throws Exception {
        ProviderBatches client = client();
        ProviderBatches.Line line = client.line("m-1", meetings(1, "").get("m-1")).orElseThrow();
        JsonNode body = body(ProviderHttp.JSON.readTree(line.json()));

        assertThat(body.path("model").asText()).isEqualTo(model());
        assertThat(body.toString()).contains("Meeting: Review 1").contains("Bob: The audit is late");
        assertThat(line.inputTokens()).isPositive();
        assertThat(line.maxOutputTokens()).isEqualTo(1_000);
        assertRealtimeShape(body);
    }

    /** The structured-output part of the realtime request (strict json_schema, forced tool). */
    protected abstract void assertRealtimeShape(JsonNode body);

    @Test
    void aMeetingLongerThanTheContextHasNoLineAndStaysInRealtime() throws Exception {
        emulator();
        ProviderBatches client = client(common(4_000L));
        StringBuilder longText = new StringBuilder();
        for (int i = 0; i < 2_000; i++) longText.append("we talked about the launch and the venue again ");

        assertThat(client.line("m-long", TestRequests.request("m-long", "Long", meeting(longText.toString())))).isEmpty();
        assertThat(client.line("m-short", TestRequests.request("m-short", "Short", meeting("")))).isPresent();
    }

    @Test
    void resultsAreReadOnlyOnceTheBatchHasEnded() throws Exception {
        emulator().running(Duration.ofSeconds(20));
        ProviderBatches client = client();
        Map<String, Analyzer.Request> requests = meetings(2, "");
        Remote running = submit(client, "intent-early", lines(client, requests));
        List<LineResult> read = new ArrayList<>();

        AnalyzerException e = catchThrowableOfType(AnalyzerException.class, () -> client.results(running, requests::get, read::add));

        assertThat(e.failure().isTransient()).isTrue();
        assertThat(e.getMessage()).contains("has not ended");
        assertThat(read).isEmpty();
    }

    @Test
    void expiryKeepsTheLinesThatSucceededAndReportsTheRestNotRun() throws Exception {
        emulator().running(Duration.ofMillis(1_000)).window(Duration.ofMillis(550));
        ProviderBatches client = client();
        Map<String, Analyzer.Request> requests = meetings(20, "");
        Remote done = ended(client, submit(client, "intent-expiry", lines(client, requests)).id());
        List<LineResult> results = results(client, done, requests);

        assertThat(done.status()).isEqualTo(Status.EXPIRED);
        long answered = results.stream().filter(r -> r instanceof LineResult.Answered).count();
        long notRun = results.stream().filter(r -> r instanceof LineResult.NotRun).count();
        assertThat(answered).isBetween(1L, 19L);
        assertThat(answered + notRun).isEqualTo(20);
        assertThat(done.counts().notRun()).isEqualTo((int) notRun);
        assertThat(emulator.answeredPerCustomId().values().stream().mapToInt(Integer::intValue).sum())
                .as("only what the provider ran was answered").isEqualTo((int) answered);
    }

    @Test
    void cancelKeepsWhatRanAndReportsTheRestNotRun() throws Exception {
        emulator().running(Duration.ofSeconds(6)).finalizing(Duration.ofMillis(100));
        ProviderBatches client = client();
        Map<String, Analyzer.Request> requests = meetings(20, "");
        Remote created = submit(client, "intent-cancel", lines(client, requests));
        await().atMost(WAIT).pollInterval(Duration.ofMillis(20)).until(() -> client.status(created.id()).counts().done() >= 3);

        Remote cancelling = client.cancel(created.id());
        assertThat(cancelling.status()).isIn(Status.CANCELLING, Status.CANCELLED);
        Remote done = ended(client, created.id());
        List<LineResult> results = results(client, done, requests);

        assertThat(done.status()).isEqualTo(Status.CANCELLED);
        long answered = results.stream().filter(r -> r instanceof LineResult.Answered).count();
        long notRun = results.stream().filter(r -> r instanceof LineResult.NotRun).count();
        assertThat(answered).isGreaterThanOrEqualTo(3);
        assertThat(notRun).isPositive();
        assertThat(answered + notRun).isEqualTo(20);
    }

    @Test
    void erroredLinesAreClassifiedAsInRealtime() throws Exception {
        ProviderBatches client = client();
        Map<String, Analyzer.Request> requests = new LinkedHashMap<>();
        requests.put("ok", TestRequests.request("ok", "Fine", meeting("")));
        requests.put("five-hundred", TestRequests.request("five-hundred", "Broken", meeting("EMULATE:server_error")));
        requests.put("four-hundred", TestRequests.request("four-hundred", "Refused", meeting("EMULATE:bad_request")));
        requests.put("invalid", TestRequests.request("invalid", "Garbled", meeting("EMULATE:invalid_answer")));
        Remote done = ended(client, submit(client, "intent-errors", lines(client, requests)).id());
        Map<String, LineResult> byId = new LinkedHashMap<>();
        for (LineResult r : results(client, done, requests)) byId.put(r.customId(), r);

        assertThat(byId).hasSize(4);
        assertThat(byId.get("ok")).isInstanceOf(LineResult.Answered.class);
        assertThat(((LineResult.Errored) byId.get("five-hundred")).failure().cause()).isEqualTo(Failure.Cause.SERVER_ERROR);
        assertThat(((LineResult.Errored) byId.get("four-hundred")).failure().cause()).isEqualTo(Failure.Cause.REFUSED_REQUEST);
        Failure unusable = ((LineResult.Errored) byId.get("invalid")).failure();
        assertThat(unusable.cause()).isEqualTo(Failure.Cause.UNUSABLE_ANSWER);
        assertThat(unusable.message()).contains("no repair call");
        assertThat(done.counts().errored()).isEqualTo(2);
    }

    @Test
    void aBatchIsFoundByItsKeyAfterACrashAndAnotherIntentsBatchIsNot() throws Exception {
        ProviderBatches before = client();
        Instant intentStored = Instant.now();
        Map<String, Analyzer.Request> requests = meetings(3, "");
        Remote ours = submit(before, "intent-ours", lines(before, requests));
        Remote theirs = submit(before, "intent-theirs", lines(before, meetings(3, "")));
        ended(before, ours.id());
        ended(before, theirs.id());

        ProviderBatches after = client(common(null)); // a new node, knowing only the intents
        assertThat(after.find("intent-ours", intentStored, 3)).map(Remote::id).contains(ours.id());
        assertThat(after.find("intent-theirs", intentStored, 3)).map(Remote::id).contains(theirs.id());
        assertThat(after.find("intent-never-created", intentStored, 3)).isEmpty();
        assertThat(after.find("intent-ours", Instant.now().plusSeconds(600), 3)).as("created before the intent: not ours").isEmpty();
        assertThat(emulator.batchesCreated()).isEqualTo(2);
    }

    @Test
    void aFiftyThousandLineOutputIsReadInConstantMemory() throws Exception {
        emulator().answerPadding(1_000);
        ProviderBatches client = client();
        String id = emulator.completedBatch(model(), 50_000);
        Remote remote = client.status(id);
        assertThat(remote.status()).isEqualTo(Status.COMPLETED);

        long before = usedHeapAfterGc();
        AtomicLong answered = new AtomicLong();
        AtomicLong summaryChars = new AtomicLong();
        AtomicLong heapWhileReading = new AtomicLong();
        client.results(remote, r -> {
            if (r instanceof LineResult.Answered a) {
                summaryChars.addAndGet(a.result().analysis().summary().length());
                if (answered.incrementAndGet() == 45_000) heapWhileReading.set(usedHeapAfterGc());
            }
        });

        long grownMb = (heapWhileReading.get() - before) / (1024 * 1024);
        System.out.printf("%s: read %d answered lines (%d MB of summaries alone); used heap %d MB before, %d MB at line 45,000"
                        + " (grown %d MB)%n", getClass().getSimpleName(), answered.get(), summaryChars.get() / (1024 * 1024),
                before / (1024 * 1024), heapWhileReading.get() / (1024 * 1024), grownMb);
        assertThat(answered.get()).isEqualTo(50_000);
        assertThat(summaryChars.get()).as("the output is large").isGreaterThan(45_000_000L);
        assertThat(grownMb).as("the output is streamed, never held whole").isLessThan(16);
    }

    static long usedHeapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Test
    void aBatchReadMomentsAfterItWasCreatedMayBeNotFoundAndThatIsTransient() throws Exception {
        emulator().notFoundFor(Duration.ofSeconds(3)); // long enough for a loaded machine to read it within
        ProviderBatches client = client();
        Remote created = submit(client, "intent-404", lines(client, meetings(2, "")));

        AnalyzerException early = catchThrowableOfType(AnalyzerException.class, () -> client.status(created.id()));
        assertThat(early).isNotNull();
        assertThat(early.failure().isTransient()).isTrue();
        assertThat(early.getMessage()).contains("404");
        assertThat(ended(client, created.id()).status()).isEqualTo(Status.COMPLETED);
    }

    @Test
    void discardDeletesWhatTheProviderKeeps() throws Exception {
        ProviderBatches client = client();
        Map<String, Analyzer.Request> requests = meetings(3, "EMULATE:none");
        requests.put("m-broken", TestRequests.request("m-broken", "Broken", meeting("EMULATE:server_error")));
        Remote done = ended(client, submit(client, "intent-discard", lines(client, requests)).id());
        assertThat(results(client, done, requests)).hasSize(4);
        assertThat(held()).isPositive();

        client.discard(done);

        assertThat(held()).isZero();
    }

    /** What the emulator keeps for batches: files (OpenAI) or batches (Anthropic). */
    protected abstract int held();

    @Test
    void aDuplicateCustomIdIsRefusedBeforeAnythingIsSent() throws Exception {
        ProviderBatches client = client();
        List<ProviderBatches.Line> lines = new ArrayList<>(lines(client, meetings(2, "")));
        lines.add(lines.getFirst());

        assertThatThrownBy(() -> submit(client, "intent-dup", lines)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'m-1' appears twice");
        assertThat(emulator.batchesCreated()).isZero();
        assertThat(held()).isZero();
    }

    protected static Optional<LineResult> first(List<LineResult> results, Class<? extends LineResult> type) {
        return results.stream().filter(type::isInstance).findFirst();
    }
}

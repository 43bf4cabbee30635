package io.minutes.app;

import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, "a paid answer is never thrown away": a real PostgreSQL behind a {@link TcpProxy} that cuts
 * every connection and refuses new ones for a while (the shared server itself is never restarted), and
 * an OpenAI-compatible provider over real HTTP that counts what it answered.
 */
class StoreOutageTest {
    private static final Pattern HOST_PORT = Pattern.compile("//([^:/]+):(\\d+)/");

    @TempDir
    Path work;

    private TestPostgres.Schema schema;
    private TcpProxy proxy;
    private final List<MinutesProcess> started = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        schema = TestPostgres.newSchema("restart");
        Matcher upstream = HOST_PORT.matcher(schema.jdbcUrl());
        assertThat(upstream.find()).as(schema.jdbcUrl()).isTrue();
        proxy = new TcpProxy(upstream.group(1), Integer.parseInt(upstream.group(2)));
    }

    @AfterEach
    void cleanUp() throws Exception {
        started.forEach(p -> p.process().destroyForcibly());
        proxy.close();
        schema.close();
    }

    /** The schema's URL, through the proxy. */
    private String proxiedUrl() {
        return HOST_PORT.matcher(schema.jdbcUrl()).replaceFirst("//127.0.0.1:" + proxy.port() + "/");
    }

    /**
     * Broke: every answer that arrived during a 12 s outage (longer than the pool's 10 s connection
     * timeout) was stored as failed/permanent "internal error ... StoreException: resultPut failed on
     * postgresql://user@host:port/db", run said "Interrupted" and exited 2, and two more runs bought 10
     * answers again.
     */
    @Test
    void anAnswerArrivingDuringATwelveSecondDatabaseOutageIsKeptNotFailedNorBoughtAgain() throws Exception {
        int meetings = 40;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofMillis(1_500))) {
            MinutesProcess run = MinutesProcess.start(work, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY),
                    "run", "in", "--out", "out", "--db", proxiedUrl(), "--provider", "openai",
                    "--base-url", provider.baseUrl(), "--model", "gpt-4o-mini", "--concurrency", "10", "--json");
            started.add(run);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                    .until(() -> provider.answering() == 10);
            proxy.cut(Duration.ofSeconds(12));

            MinutesProcess.Finished finished = run.await(120);

            assertThat(proxy.cutsOver()).as("the outage was over before the run ended").isEqualTo(1);
            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(finished.stdout());
            assertThat(report.get("completed").asInt()).as(finished.stderr()).isEqualTo(meetings);
            Map<Integer, Integer> served = provider.servedPerMeeting();
            System.out.println("StoreOutageTest 12 s outage: " + meetings + " meetings, provider answered "
                    + served.values().stream().mapToInt(Integer::intValue).sum() + " calls; " + provider.summary());
            assertThat(served).as("every meeting answered exactly once").hasSize(meetings)
                    .allSatisfy((meeting, calls) -> assertThat(calls).as("calls for meeting %d", meeting).isEqualTo(1));
            assertThat(finished.stderr())
                    .as("one line says what is wrong and that the run waits")
                    .containsOnlyOnce("database unreachable since")
                    .contains("resuming by itself")
                    .doesNotContain("Interrupted", "Exception", "\tat ", "postgresql://", "127.0.0.1:" + proxy.port());
            try (MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
                List<Meeting> stored = store.meetingsList(report.get("batch_id").asText());
                assertThat(stored).allSatisfy(m -> {
                    assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                    assertThat(m.attempts()).as("no attempt of %s failed", m.source())
                            .allSatisfy(a -> assertThat(a.failure()).isNull());
                });
            }
        }
    }

    /**
     * Broke: two workers and a serve on one PostgreSQL, restarted three times (a ~150 ms outage each): each
     * restart re-billed one meeting (resultPut failed, then the outcome write; the meeting waited for its lease
     * to expire and was called again, its attempt log blaming a crash though nothing stopped). The batch goes
     * in through serve's API, which is followed (status polls, an SSE stream) while the database goes away.
     */
    @Test
    void threeDatabaseRestartsUnderServeAndTwoWorkersBillNoMeetingTwiceAndServeKeepsAnswering() throws Exception {
        int meetings = 60;
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofSeconds(1))) {
            List<String> engine = List.of("--db", proxiedUrl(), "--provider", "openai", "--base-url", provider.baseUrl(),
                    "--model", "gpt-4o-mini", "--concurrency", "3");
            MinutesProcess serve = start(Stream.concat(Stream.of("serve", "--port", "0"), engine.stream()));
            List<MinutesProcess> workers = List.of(start(Stream.concat(Stream.of("worker"), engine.stream())),
                    start(Stream.concat(Stream.of("worker"), engine.stream())));
            ServeClient api = new ServeClient(serve.awaitServing());
            for (MinutesProcess worker : workers) {
                await().atMost(Duration.ofSeconds(60)).until(() -> worker.stderrText().contains("processing meetings"));
            }
            Instant submitted = Instant.now();
            String batchId = api.submit(meetings);
            ServeClient.Follow follow = api.follow(batchId);

            for (int restart = 1; restart <= 3; restart++) {
                int calledBefore = answered(provider);
                // a node claimed a meeting since the last restart (it is back), and a paid answer is due within
                // the outage: the nodes' connections are cut as the provider answers
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> answered(provider) > calledBefore && provider.longestAnswering().toMillis() >= 900);
                proxy.cut(Duration.ofMillis(150));
                int over = restart;
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.cutsOver() == over);
            }
            JsonNode status = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.status(batchId).orElse(null), s -> s != null && s.path("queued").asInt() + s.path("processing").asInt() == 0);
            ServeClient.Followed followed = follow.stop();

            Map<Integer, Integer> served = provider.servedPerMeeting();
            System.out.println("StoreOutageTest 3 restarts, serve + 2 workers: " + meetings + " meetings, provider answered "
                    + answered(provider) + " calls in " + Duration.between(submitted, Instant.now()).toMillis() + " ms; status polls "
                    + followed.polls() + "; SSE events " + followed.events().stream().collect(Collectors.groupingBy(e -> e,
                    TreeMap::new, Collectors.counting())) + ", the last " + followed.events().getLast());
            assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("completed");
            assertThat(status.path("completed").asInt()).isEqualTo(meetings);
            assertThat(served).as("every meeting answered exactly once").hasSize(meetings)
                    .allSatisfy((meeting, calls) -> assertThat(calls).as("calls for meeting %d", meeting).isEqualTo(1));
            assertThat(followed.polls()).as("serve answered every status poll: with the batch, or 503 while the database was away")
                    .containsOnlyKeys(200, 503).containsKey(200);
            assertThat(followed.unanswered()).as("status polls serve did not answer").isEmpty();
            assertThat(followed.refusals()).allSatisfy(body -> assertThat(body)
                    .doesNotContain(String.valueOf(proxy.port()), "127.0.0.1", "postgres", schema.name()));
            assertThat(followed.events()).as("the SSE stream told the end").endsWith("done");
            assertThat(followed.lastCounts().path("completed").asInt()).isEqualTo(meetings);
            for (MinutesProcess node : started) {
                assertThat(node.process().isAlive()).as("still running: %s", node.stderrText()).isTrue();
                assertThat(node.stderrText()).as("what a node said")
                        .doesNotContain("\tat ", "could not record", "lost the lease", "was lost before", "crash");
            }
            try (MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
                List<Meeting> stored = store.meetingsList(batchId);
                assertThat(stored).hasSize(meetings).allSatisfy(m -> assertThat(m.state()).isEqualTo(MeetingState.COMPLETED));
                assertThat(stored.stream().filter(m -> m.attempts().size() != 1 || !m.attempts().getFirst().succeeded())
                        .map(m -> m.title() + ": " + m.attempts().stream().map(a -> a.failure() == null ? "succeeded" : a.failure().message()).toList()))
                        .as("meetings with more than one attempt, or a failed one (none blames a crash)").isEmpty();
            }
        }
    }

    /**
     * Broke: a database cut at the moment a transcription was paid for threw its checkpoint away (the
     * meeting went back to the queue) and the retry paid the transcriber for the same recording again.
     */
    @Test
    void aTranscriptionAnsweredWhileTheDatabaseIsCutIsCheckpointedWhenItIsBackNotPaidTwice() throws Exception {
        TestRecordings.assumeTools();
        int recordings = 3;
        Path in = java.nio.file.Files.createDirectories(work.resolve("in"));
        for (int i = 1; i <= recordings; i++) {
            java.nio.file.Files.copy(TestRecordings.speech(TestRecordings.MEETING + " This was call number " + i + "."),
                    in.resolve("call-" + i + ".wav"));
        }
        try (CountingTranscriber transcriber = new CountingTranscriber(recordings, () -> cut(Duration.ofSeconds(12)))) {
            MinutesProcess run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db", proxiedUrl(),
                    "--transcriber", "openai", "--transcriber-base-url", transcriber.baseUrl(), "--provider", "local",
                    "--concurrency", String.valueOf(recordings), "--json");
            started.add(run);

            MinutesProcess.Finished finished = run.await(120);

            assertThat(transcriber.faulted()).as("the database was cut as the transcriptions answered").isTrue();
            assertThat(proxy.cutsOver()).as("the outage was over before the run ended").isEqualTo(1);
            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(finished.stdout());
            assertThat(report.get("completed").asInt()).as(finished.stderr()).isEqualTo(recordings);
            Map<String, Integer> answered = transcriber.answeredPerRecording();
            System.out.println("StoreOutageTest transcriptions over a 12 s outage: " + recordings
                    + " recordings, transcriber answered " + answered);
            assertThat(answered).as("every recording transcribed exactly once").hasSize(recordings)
                    .allSatisfy((recording, calls) -> assertThat(calls).as("calls for %s", recording).isEqualTo(1));
            assertThat(finished.stderr()).containsOnlyOnce("database unreachable since").contains("resuming by itself")
                    .doesNotContain("Interrupted", "Exception", "\tat ", "postgresql://");
        }
    }

    private void cut(Duration outage) {
        try {
            proxy.cut(outage);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Broke: a claim committed as the database went away, its answer lost with the connection: the node did
     * not know the meetings it had taken, and they waited for their lease to expire, their attempt log saying
     * no heartbeat came for a whole lease. With a 10-minute lease, the run could not end within 2 minutes.
     */
    @Test
    void meetingsAClaimTookAsItsAnswerWasLostAreGivenBackNotLeftToTheirLease() throws Exception {
        int meetings = 3;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        proxy.loseTheAnswerToACommitAfter("= 'running',"); // meeting_claim.sql sets the state so, and no other write

        MinutesProcess run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db", proxiedUrl(), "--provider", "sim",
                "--sim-latency-ms", "50", "--lease", "10m", "--json");
        started.add(run);
        MinutesProcess.Finished finished = run.await(120);

        assertThat(proxy.answersLost()).as("the claim's answer was lost").isEqualTo(1);
        assertThat(finished.exitCode()).as(finished.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(finished.stdout());
        assertThat(report.get("completed").asInt()).isEqualTo(meetings);
        try (MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
            assertThat(store.meetingsList(report.get("batch_id").asText())).allSatisfy(m -> assertThat(m.attempts())
                    .as("attempts of %s", m.source()).singleElement().satisfies(a -> assertThat(a.succeeded()).isTrue()));
        }
    }

    private MinutesProcess start(Stream<String> args) throws Exception {
        MinutesProcess process = MinutesProcess.start(work, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY),
                args.toArray(String[]::new));
        started.add(process);
        return process;
    }

    /** Broke: API clients could be shown "resultPut failed on postgresql://user@host:port/db". */
    @Test
    void anApiClientIsToldTheDatabaseIsUnreachableWithoutItsHostPortUserOrName() throws Exception {
        MinutesProcess serve = MinutesProcess.start(work, "serve", "--port", "0", "--db", proxiedUrl(), "--provider", "local");
        started.add(serve);
        String url = serve.awaitServing();
        proxy.cut(Duration.ofSeconds(30));

        java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url + "/api/v1/batches"))
                        .timeout(Duration.ofSeconds(60)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
        assertThat(response.body()).doesNotContain(String.valueOf(proxy.port()), "127.0.0.1", "postgres", schema.name());
    }

    private static int answered(SharedOpenAiProvider provider) {
        return provider.servedPerMeeting().values().stream().mapToInt(Integer::intValue).sum();
    }
}

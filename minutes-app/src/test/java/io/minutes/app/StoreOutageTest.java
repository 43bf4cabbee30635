package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.app.cli.Inputs;
import io.minutes.app.cli.PreparedBatch;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.MeetingStore;
import io.minutes.store.blob.FolderBlobStore;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        schema = TestPostgres.newSchema();
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
            try (MeetingStore store = PostgresMeetingStore.open(schema.url())) {
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
     * Broke: with two workers on one database, each 150 ms restart of PostgreSQL re-billed one meeting
     * (resultPut failed, then the outcome write, then the lease expired and another call was made).
     */
    @Test
    void threeShortDatabaseBlipsUnderTwoWorkersBillNoMeetingTwice() throws Exception {
        int meetings = 30;
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(60_000, Duration.ofMillis(300));
             MeetingStore store = PostgresMeetingStore.open(schema.url())) {
            Batch batch = submit(store, meetings);
            for (int i = 0; i < 2; i++) {
                started.add(MinutesProcess.start(work, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY),
                        "worker", "--db", proxiedUrl(), "--provider", "openai", "--base-url", provider.baseUrl(),
                        "--model", "gpt-4o-mini", "--concurrency", "4", "--lease", "10s"));
            }
            for (int blip = 1; blip <= 3; blip++) {
                int answeredBefore = answered(provider);
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                        .until(() -> provider.answering() > 0 && answered(provider) > answeredBefore);
                proxy.cut(Duration.ofMillis(150));
                int over = blip;
                await().atMost(Duration.ofSeconds(10)).until(() -> proxy.cutsOver() == over);
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());

            Map<Integer, Integer> served = provider.servedPerMeeting();
            System.out.println("StoreOutageTest 3 blips, 2 workers: " + meetings + " meetings, provider answered "
                    + served.values().stream().mapToInt(Integer::intValue).sum() + " calls");
            assertThat(served).hasSize(meetings)
                    .allSatisfy((meeting, calls) -> assertThat(calls).as("calls for meeting %d", meeting).isEqualTo(1));
            assertThat(store.meetingsList(batch.id())).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts().stream().filter(Attempt::succeeded).count()).isEqualTo(1);
            });
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

    /** Broke: API clients could be shown "resultPut failed on postgresql://user@host:port/db". */
    @Test
    void anApiClientIsToldTheDatabaseIsUnreachableWithoutItsHostPortUserOrName() throws Exception {
        MinutesProcess serve = MinutesProcess.start(work, "serve", "--port", "0", "--db", proxiedUrl(), "--provider", "local");
        started.add(serve);
        String url = await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!serve.process().isAlive()) throw new AssertionError("serve stopped: " + serve.stderrText());
            Matcher m = Pattern.compile("serving on (http://\\S+) ").matcher(serve.stdoutText());
            return m.find() ? m.group(1) : null;
        }, u -> u != null);
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

    private Batch submit(MeetingStore store, int meetings) throws Exception {
        Path in = TestTranscripts.writeMany(work.resolve("in"), meetings);
        PreparedBatch prepared = PreparedBatch.of(Inputs.collect(List.of(in)).files(),
                new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), "openai", new FolderBlobStore(work.resolve("blobs")));
        return store.batchCreate(new MeetingStore.BatchCreateParams(prepared.runKey(), "openai", Instant.now(),
                prepared.meetings()));
    }
}

package io.minutes.app;

import io.minutes.app.cli.ExitStatus;
import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.minutes.app.cli.Inputs;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.store.jdbc.JdbcMeetingStore;
import io.minutes.store.postgres.PostgresBlobStore;
import io.minutes.store.postgres.PostgresDatabase;
import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real {@code minutes worker} processes sharing one PostgreSQL database. */
class WorkersOnPostgresTest {
    private static final int MEETINGS = 2_000;

    @TempDir
    Path work;

    private TestPostgres.Schema schema;
    private final List<MinutesProcess> started = new ArrayList<>();

    @BeforeEach
    void database() {
        schema = TestPostgres.newSchema();
    }

    @AfterEach
    void cleanUp() {
        started.forEach(p -> p.process().destroyForcibly());
        schema.close();
    }

    private MinutesProcess worker(int latencyMillis, int concurrency, String lease) throws Exception {
        List<String> args = List.of("worker", "--db", schema.jdbcUrl(), "--provider", "sim",
                "--sim-latency-ms", String.valueOf(latencyMillis), "--concurrency", String.valueOf(concurrency), "--lease", lease);
        MinutesProcess worker = MinutesProcess.start(work, args.toArray(String[]::new));
        started.add(worker);
        return worker;
    }

    /** The batch as `minutes run` would submit it: the same files, ingest and run key. */
    private Batch submit(MeetingStore store, int meetings) throws Exception {
        Path in = TestTranscripts.writeMany(work.resolve("in"), meetings);
        PreparedBatch prepared = PreparedBatch.of(Inputs.collect(List.of(in)).files(),
                new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), "sim", new FolderBlobStore(work.resolve("blobs")));
        return store.batchCreate(TestBatches.batch(prepared.runKey(), "sim", Instant.now(), prepared.meetings()));
    }

    private static int completed(MeetingStore store, String batchId) {
        return store.batchGet(batchId).orElseThrow().counts().completed();
    }

    /**
     * Must show: three workers, 2,000 meetings, one worker killed with kill -9 midway. The workers call
     * one provider that enforces the limit for all of them together, as one account's limit is
     * enforced, so a node that went its own way would be answered 429. The provider quantises its
     * minute into seconds and the nodes are told so ({@code --rate-window second}): left to learn it
     * ({@code auto}), each would pay one 429 episode first, and this test is about the shared allowance.
     */
    @Test
    void threeWorkersUnderOneRateLimitOneKilledWithKillMinus9CompleteEveryMeetingExactlyOnce() throws Exception {
        int requestsPerMinute = 3_000; // 50 a second: 2,000 meetings take at least 40 s
        int concurrency = 8;
        try (SharedOpenAiProvider provider = new SharedOpenAiProvider(requestsPerMinute, Duration.ofMillis(40));
             MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
            Batch batch = submit(store, MEETINGS);
            List<MinutesProcess> workers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                MinutesProcess worker = MinutesProcess.start(work, Map.of("OPENAI_API_KEY", SharedOpenAiProvider.KEY),
                        "worker", "--db", schema.jdbcUrl(), "--provider", "openai", "--base-url", provider.baseUrl(),
                        "--model", "gpt-4o-mini", "--rpm", String.valueOf(requestsPerMinute), "--rate-window", "second",
                        "--concurrency", String.valueOf(concurrency), "--lease", "3s");
                started.add(worker);
                workers.add(worker);
            }

            await().atMost(Duration.ofSeconds(90)).until(() -> completed(store, batch.id()) >= MEETINGS / 3);
            MinutesProcess victim = workers.getFirst();
            // killed while it holds meetings, so they are lost with it
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> holdsLeases(store, victim));
            victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, its leases stay behind
            victim.process().waitFor();
            int doneAtKill = completed(store, batch.id());
            assertThat(doneAtKill).as("killed midway").isLessThan(MEETINGS);

            await().atMost(Duration.ofSeconds(120)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());

            List<Meeting> meetings = store.meetingsList(batch.id());
            assertThat(meetings).hasSize(MEETINGS).allSatisfy(m -> {
                assertThat(m.state()).as(m.source()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts().stream().filter(Attempt::succeeded).count())
                        .as("successful attempts of %s", m.source()).isEqualTo(1);
            });
            // taken back as a dead process of this machine, or once its lease expired, whichever a survivor saw first
            assertThat(meetings).as("meetings the killed worker held were taken over")
                    .anyMatch(m -> m.attempts().stream().anyMatch(a -> a.failure() != null
                            && (a.failure().message().equals(JdbcMeetingStore.WORKER_STOPPED)
                                || a.failure().message().equals(JdbcMeetingStore.LEASE_EXPIRED))));

            assertThat(provider.refused()).as("429s from the shared provider: the three nodes together went over %d/min; %s",
                    requestsPerMinute, provider.summary()).isZero();
            Map<Integer, Integer> served = provider.servedPerMeeting();
            assertThat(served).as("every meeting reached the provider").hasSize(MEETINGS);
            int servedTwice = (int) served.values().stream().filter(n -> n > 1).count();
            assertThat(servedTwice).as("meetings paid for twice: only those the killed worker had in flight")
                    .isLessThanOrEqualTo(concurrency);
            assertThat(served.values()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(2));

            for (MinutesProcess survivor : workers.subList(1, 3)) {
                survivor.process().destroy(); // SIGTERM: a clean stop
                assertThat(survivor.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(survivor.stderrText()).contains("stopped; meetings in flight were handed back");
            }
            assertThat(store.leaseOwners()).isEmpty();
        }
    }

    @Test
    void aWorkerStoppedWithSigtermHandsItsMeetingsBackAndTheRunFinishesThem() throws Exception {
        Path in = TestTranscripts.writeMany(work.resolve("in"), 200);
        try (MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
            MinutesProcess slowWorker = worker(60_000, 3, "30s");
            await().atMost(Duration.ofSeconds(30)).until(() -> slowWorker.stderrText().contains("processing meetings"));

            MinutesProcess run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db", schema.jdbcUrl(),
                    "--provider", "sim", "--sim-latency-ms", "50", "--concurrency", "4", "--json");
            started.add(run);
            // the new batch's NOTIFY wakes the idle worker, which takes three meetings it will not finish
            await().atMost(Duration.ofSeconds(30)).until(() -> !store.batchPage(new BatchStore.BatchPageParams(null, null, 1)).isEmpty()
                    && holdsLeases(store, slowWorker));

            slowWorker.process().destroy(); // SIGTERM: its three meetings go back to the queue at once
            assertThat(slowWorker.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            MinutesProcess.Finished finished = run.await(60);

            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(finished.stdout());
            assertThat(report.get("completed").asInt()).isEqualTo(200);
            List<Meeting> meetings = store.meetingsList(report.get("batch_id").asText());
            assertThat(meetings).allSatisfy(m -> assertThat(m.attempts()).as("given back, not failed: %s", m.source())
                    .hasSize(1).allSatisfy(a -> assertThat(a.succeeded()).isTrue()));
        }
    }

    /**
     * Progress travels between nodes: a batch submitted to a {@code serve} node and processed almost
     * entirely by a {@code worker} process is followed live by an SSE client of the serve node.
     */
    @Test
    void anSseClientOfAServeNodeSeesLiveProgressOfMeetingsAWorkerOnAnotherNodeProcesses() throws Exception {
        int meetings = 40;
        TestTranscripts.writeMany(work.resolve("in"), meetings);
        MinutesProcess fastWorker = worker(20, 8, "30s");
        await().atMost(Duration.ofSeconds(60)).until(() -> fastWorker.stderrText().contains("processing meetings"));
        // the serve node processes too, but one meeting at a time and slowly: the worker does the rest
        MinutesProcess serve = MinutesProcess.start(work, "serve", "--port", "0", "--db", schema.jdbcUrl(),
                "--provider", "sim", "--sim-latency-ms", "4000", "--concurrency", "1");
        started.add(serve);
        String url = await().atMost(Duration.ofSeconds(60)).until(() -> {
            if (!serve.process().isAlive()) throw new AssertionError("serve stopped: " + serve.stderrText());
            Matcher m = Pattern.compile("serving on (http://\\S+) ").matcher(serve.stdoutText());
            return m.find() ? m.group(1) : null;
        }, u -> u != null);

        ObjectMapper json = new ObjectMapper();
        ObjectNode body = json.createObjectNode();
        var list = body.putArray("meetings");
        for (int i = 0; i < meetings; i++) list.addObject().put("title", "Planning " + i).put("transcript", TestTranscripts.text(i));
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/api/v1/meetings/batch")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(202);
        String batchId = json.readTree(submitted.body()).get("batch_id").asText();

        Map<String, List<String>> statusesByMeeting = new HashMap<>();
        try (Stream<String> lines = http.send(HttpRequest.newBuilder(
                        URI.create(url + "/api/v1/meetings/batch/" + batchId + "/events")).build(),
                HttpResponse.BodyHandlers.ofLines()).body()) {
            String event = null;
            for (String line : (Iterable<String>) lines::iterator) {
                if (line.startsWith("event: ")) event = line.substring(7);
                if (line.startsWith("data: ") && "meeting".equals(event)) {
                    JsonNode data = json.readTree(line.substring(6));
                    statusesByMeeting.computeIfAbsent(data.get("meeting_id").asText(), k -> new ArrayList<>()).add(data.get("status").asText());
                }
                if ("done".equals(event)) break;
            }
        }

        try (MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
            List<Meeting> all = store.meetingsList(batchId);
            assertThat(all).allSatisfy(m -> assertThat(m.state()).isEqualTo(MeetingState.COMPLETED));
            // the serve node's calls take 4 s, the worker's 20 ms: the quick ones were the worker's
            List<Meeting> byWorker = all.stream().filter(m -> m.attempts().stream().anyMatch(a -> a.succeeded()
                    && Duration.between(a.startedAt(), a.finishedAt()).toMillis() < 2_000)).toList();
            assertThat(byWorker).as("meetings the worker processed").hasSizeGreaterThan(meetings / 2);
            // a "running" event is only ever sent as it happens (the stream's catch-up at the end sends final states)
            assertThat(byWorker).allSatisfy(m -> assertThat(statusesByMeeting.get(m.id()))
                    .as("SSE events of %s, processed on the worker", m.title()).containsSubsequence("running", "completed"));
        }
    }

    @Test
    void aRecordingSubmittedOnPostgresIsKeptInTheDatabaseNotOnTheSubmittingNodesDisk() throws Exception {
        TestRecordings.assumeTools();
        Path in = Files.createDirectories(work.resolve("in"));
        Files.copy(TestRecordings.speech(), in.resolve("standup.wav"));
        Path whisper = work.resolve("fake-whisper-cli"); // writes whisper.cpp's JSON, as AudioMeetingsTest's does
        Files.writeString(whisper, """
                #!/bin/sh
                cat > "$5.json" <<'JSON'
                {"transcription": [
                  {"offsets": {"from": 0, "to": 4000}, "text": " Good morning everyone, let us start the weekly planning meeting."},
                  {"offsets": {"from": 4000, "to": 8000}, "text": " I will send the budget report by Friday."}]}
                JSON
                """);
        whisper.toFile().setExecutable(true);

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", schema.jdbcUrl(), "--json",
                "--transcriber", "command", "--transcriber-command", whisper + " -f {wav} -oj -of {output}");

        assertThat(run.exitCode()).as(run.stdout() + run.stderr()).isZero();
        assertThat(new ObjectMapper().readTree(run.stdout()).get("items").get(0).get("status").asText()).isEqualTo("completed");
        String key = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(in.resolve("standup.wav"))));
        try (PostgresDatabase database = PostgresDatabase.open(schema.url(), 1)) {
            assertThat(new PostgresBlobStore(database).size(key)).as("the recording, in PostgreSQL")
                    .contains(Files.size(in.resolve("standup.wav")));
        }
        assertThat(work.resolve("blobs")).doesNotExist();
    }

    private static boolean holdsLeases(MeetingStore store, MinutesProcess worker) {
        return store.leaseOwners().stream().map(WorkerId::parse).flatMap(Optional::stream)
                .anyMatch(id -> id.pid() == worker.process().pid());
    }

    @Test
    void aDatabaseThatDoesNotAnswerIsAClearErrorNamingIt() throws Exception {
        MinutesProcess.Finished worker = MinutesProcess.run(work, "worker", "--db",
                "postgresql://postgres@127.0.0.1:1/minutes");

        assertThat(worker.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(worker.stderr()).contains("cannot connect to PostgreSQL at postgresql://postgres@127.0.0.1:1/minutes")
                .contains("Is the server running");
    }

    @Test
    void aUrlWithoutADatabaseIsRefusedBeforeAnythingStarts() throws Exception {
        MinutesProcess.Finished worker = MinutesProcess.run(work, "worker", "--db", "postgresql://db.example:5432");

        assertThat(worker.exitCode()).isEqualTo(ExitStatus.USAGE);
        assertThat(worker.stderr()).contains("db").contains("names no database");
    }
}

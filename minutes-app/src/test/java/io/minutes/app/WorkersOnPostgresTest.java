package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.app.cli.Inputs;
import io.minutes.app.cli.PreparedBatch;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.WorkerId;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.port.MeetingStore;
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

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

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

    /** A short lease, so the meetings of a killed worker are taken over within seconds. */
    private MinutesProcess worker() throws Exception {
        return worker(10, 8, "3s");
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
        return store.batchCreate(new MeetingStore.BatchCreateParams(prepared.runKey(), "sim", Instant.now(), prepared.meetings()));
    }

    private static int completed(MeetingStore store, String batchId) {
        return store.batchGet(batchId).orElseThrow().counts().completed();
    }

    @Test
    void threeWorkersOneKilledWithKillMinus9CompleteEveryMeetingExactlyOnce() throws Exception {
        try (MeetingStore store = PostgresMeetingStore.open(schema.url())) {
            Batch batch = submit(store, MEETINGS);
            List<MinutesProcess> workers = List.of(worker(), worker(), worker());

            await().atMost(Duration.ofSeconds(60)).until(() -> completed(store, batch.id()) >= MEETINGS / 3);
            MinutesProcess victim = workers.getFirst();
            // killed while it holds meetings, so they are lost with it
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> holdsLeases(store, victim));
            victim.process().destroyForcibly(); // SIGKILL: no shutdown hook, its leases stay behind
            victim.process().waitFor();
            int doneAtKill = completed(store, batch.id());
            assertThat(doneAtKill).as("killed midway").isLessThan(MEETINGS);

            await().atMost(Duration.ofSeconds(60)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());

            List<Meeting> meetings = store.meetingsList(batch.id());
            assertThat(meetings).hasSize(MEETINGS).allSatisfy(m -> {
                assertThat(m.state()).as(m.source()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts().stream().filter(Attempt::succeeded).count())
                        .as("successful attempts of %s", m.source()).isEqualTo(1);
            });
            assertThat(meetings).as("meetings the killed worker held were taken over after their lease expired")
                    .anyMatch(m -> m.attempts().stream().anyMatch(a -> a.failure() != null
                            && a.failure().message().equals(JdbcMeetingStore.LEASE_EXPIRED)));

            for (MinutesProcess survivor : workers.subList(1, 3)) {
                survivor.process().destroy(); // SIGTERM: a clean stop
                assertThat(survivor.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
                assertThat(survivor.stderrText()).contains("stopped; meetings in flight were handed back");
            }
            assertThat(store.leaseOwners()).isEmpty();
        }
    }

    @Test
    void twoWorkersTogetherStayUnderOneRateLimit() throws Exception {
        int meetings = 100;
        int perSecond = 10; // --rpm 600: the throttle's shared bucket refills 10 a second and holds 9
        int concurrency = 2;
        try (MeetingStore store = PostgresMeetingStore.open(schema.url())) {
            Batch batch = submit(store, meetings);
            for (int i = 0; i < 2; i++) {
                started.add(MinutesProcess.start(work, "worker", "--db", schema.jdbcUrl(), "--provider", "sim",
                        "--concurrency", String.valueOf(concurrency), "--rpm", String.valueOf(perSecond * 60)));
            }

            await().atMost(Duration.ofSeconds(60)).until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());

            List<Instant> starts = store.meetingsList(batch.id()).stream()
                    .flatMap(m -> m.attempts().stream()).map(Attempt::startedAt).sorted().toList();
            assertThat(starts).hasSize(meetings);
            // A node claims only what its throttle lets start, so by the last claim at least all but the
            // claims in flight (2 nodes x concurrency) were admitted, at most 9 up front and 10 a second
            // after: one bucket for both nodes takes >= 8.7 s; a bucket each would let them finish in ~4 s.
            double seconds = Duration.between(starts.getFirst(), starts.getLast()).toMillis() / 1000.0;
            double shortestShared = (meetings - 2.0 * concurrency - 9) / perSecond;
            assertThat(seconds).as("first to last start of %d meetings under one shared limit of %d/s", meetings, perSecond)
                    .isGreaterThanOrEqualTo(shortestShared);
        }
    }

    @Test
    void aWorkerStoppedWithSigtermHandsItsMeetingsBackAndTheRunFinishesThem() throws Exception {
        Path in = TestTranscripts.writeMany(work.resolve("in"), 200);
        try (MeetingStore store = PostgresMeetingStore.open(schema.url())) {
            MinutesProcess slowWorker = worker(60_000, 3, "30s");
            await().atMost(Duration.ofSeconds(30)).until(() -> slowWorker.stderrText().contains("processing meetings"));

            MinutesProcess run = MinutesProcess.start(work, "run", "in", "--out", "out", "--db", schema.jdbcUrl(),
                    "--provider", "sim", "--sim-latency-ms", "50", "--concurrency", "4", "--json");
            started.add(run);
            String runKey = PreparedBatch.of(Inputs.collect(List.of(in)).files(),
                    new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), "sim", new FolderBlobStore(work.resolve("blobs"))).runKey();
            // the new batch's NOTIFY wakes the idle worker, which takes three meetings it will not finish
            await().atMost(Duration.ofSeconds(30)).until(() -> store.batchFindByRunKey(runKey).isPresent()
                    && holdsLeases(store, slowWorker));

            slowWorker.process().destroy(); // SIGTERM: its three meetings go back to the queue at once
            assertThat(slowWorker.process().waitFor(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            MinutesProcess.Finished finished = run.await(60);

            assertThat(finished.exitCode()).as(finished.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(finished.stdout());
            assertThat(report.get("completed").asInt()).isEqualTo(200);
            List<Meeting> meetings = store.meetingsList(report.get("batch_id").asText());
            assertThat(meetings).allSatisfy(m -> assertThat(m.attempts()).as("given back, not failed: %s", m.source())
                    .hasSize(1).allSatisfy(a -> assertThat(a.succeeded()).isTrue()));
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

        assertThat(worker.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(worker.stderr()).contains("cannot connect to PostgreSQL at postgresql://postgres@127.0.0.1:1/minutes")
                .contains("Is the server running");
    }

    @Test
    void aUrlWithoutADatabaseIsRefusedBeforeAnythingStarts() throws Exception {
        MinutesProcess.Finished worker = MinutesProcess.run(work, "worker", "--db", "postgresql://db.example:5432");

        assertThat(worker.exitCode()).isEqualTo(Main.EXIT_USAGE);
        assertThat(worker.stderr()).contains("db").contains("names no database");
    }
}

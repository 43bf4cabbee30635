package io.minutes.app;

import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import io.minutes.store.postgres.PostgresMeetingStore;
import io.minutes.store.postgres.TestPostgres;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Real processes killed with SIGKILL while they hold meetings: a lost lease is not the meeting's fault. */
class LostLeaseTest {
    private static final int MEETINGS = 3;

    @TempDir
    Path work;

    /** Issue 14, "Crashes and recovery": before, the fourth run found them failed with no provider error. */
    @Test
    void threeKillMinus9InARowWithTheSameMeetingsInFlightDoNotFailThem() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        for (int kill = 1; kill <= 3; kill++) {
            // a provider slow enough that the meetings are still in flight when the run is killed
            MinutesProcess run = MinutesProcess.start(work, command("60000"));
            try (MeetingStore observer = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
                await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                        .until(() -> holdsEveryMeeting(observer, run));
            } finally {
                run.process().destroyForcibly(); // SIGKILL: no shutdown hook, leases left behind
                run.process().waitFor();
            }
        }

        MinutesProcess.Finished last = MinutesProcess.start(work, command("20")).await(120);

        assertThat(last.exitCode()).as(last.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(last.stdout());
        assertThat(report.get("completed").asInt()).isEqualTo(MEETINGS);
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            List<Meeting> meetings = store.meetingsList(report.get("batch_id").asText());
            assertThat(meetings).hasSize(MEETINGS).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts()).as("attempts of %s", m.source()).hasSize(4);
                assertThat(m.attempts().subList(0, 3)).allSatisfy(a ->
                        assertThat(a.failure().message()).isEqualTo(JdbcMeetingStore.WORKER_STOPPED)); // a dead local process
                assertThat(m.attempts().getLast().succeeded()).isTrue();
            });
        }
    }

    /**
     * Issue 14: a killed worker's meetings waited 34-41 s for another worker on the same host, which
     * only looked for dead local processes when it started. With a 60 s lease, waiting for its expiry
     * would take a minute.
     */
    @Test
    void aKilledWorkersMeetingsAreTakenBackAtOnceByARunningWorkerOnTheSameHost() throws Exception {
        List<MinutesProcess> started = new ArrayList<>();
        try (TestPostgres.Schema schema = TestPostgres.newSchema();
             MeetingStore store = PostgresMeetingStore.open(schema.url(), new InProcessStoreEvents())) {
            Batch batch = submit(store);
            MinutesProcess holder = worker(schema, "60000", started);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
                    .until(() -> holdsEveryMeeting(store, holder));
            MinutesProcess taker = worker(schema, "20", started);
            await().atMost(Duration.ofSeconds(60)).until(() -> taker.stderrText().contains("processing meetings from"));

            holder.process().destroyForcibly();
            holder.process().waitFor();

            await("taken back well before the 60 s lease expired").atMost(Duration.ofSeconds(20))
                    .until(() -> store.batchGet(batch.id()).orElseThrow().counts().isFinished());
            assertThat(store.meetingsList(batch.id())).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts()).extracting(a -> a.failure() == null ? "ok" : a.failure().message())
                        .containsExactly(JdbcMeetingStore.WORKER_STOPPED, "ok");
            });
        } finally {
            started.forEach(p -> p.process().destroyForcibly());
        }
    }

    private MinutesProcess worker(TestPostgres.Schema schema, String latencyMillis, List<MinutesProcess> started) throws Exception {
        MinutesProcess worker = MinutesProcess.start(work, "worker", "--db", schema.jdbcUrl(), "--provider", "sim",
                "--sim-latency-ms", latencyMillis, "--concurrency", String.valueOf(MEETINGS), "--lease", "60s");
        started.add(worker);
        return worker;
    }

    private String[] command(String latencyMillis) {
        return new String[]{"run", "in", "--out", "out", "--db", "m.db", "--provider", "sim",
                "--sim-latency-ms", latencyMillis, "--concurrency", String.valueOf(MEETINGS), "--json"};
    }

    /** The batch as `minutes run` would submit it. */
    private Batch submit(MeetingStore store) throws Exception {
        Path in = TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        PreparedBatch prepared = PreparedBatch.of(Inputs.collect(List.of(in)).files(),
                new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), "sim", new FolderBlobStore(work.resolve("blobs")));
        return store.batchCreate(TestBatches.batch(prepared.runKey(), "sim", Instant.now(), prepared.meetings()));
    }

    /** Every meeting is running, held by {@code process} alone. */
    private static boolean holdsEveryMeeting(MeetingStore store, MinutesProcess process) {
        Set<String> owners = store.leaseOwners();
        return owners.size() == 1
                && WorkerId.parse(owners.iterator().next()).map(id -> id.pid() == process.process().pid()).orElse(false)
                && store.countsAll().counts().running() == MEETINGS;
    }
}

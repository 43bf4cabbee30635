package io.minutes.app;

import io.minutes.store.TestBatches;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.app.cli.Inputs;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.domain.Batch;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.store.jdbc.JdbcMeetingStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a worker says about a lease it lost, with a real {@code minutes worker} process on a SQLite file
 * this test shares with it: a pause (SIGSTOP, as a long GC pause or a starved machine) is said as late
 * heartbeats, not as a crash; a user's cancel is not a fault.
 */
class LeaseMessagesTest {
    @TempDir
    Path work;

    private final List<MinutesProcess> started = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        started.forEach(p -> p.process().destroyForcibly());
    }

    private MinutesProcess worker(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("worker", "--db", work.resolve("m.db").toString(), "--provider", "sim"));
        args.addAll(List.of(extra));
        MinutesProcess worker = MinutesProcess.start(work, args.toArray(String[]::new));
        started.add(worker);
        await().atMost(Duration.ofSeconds(60)).until(() -> worker.stderrText().contains("processing meetings"));
        return worker;
    }

    private Batch submit(MeetingStore store, int meetings) throws Exception {
        Path in = TestTranscripts.writeMany(work.resolve("in"), meetings);
        PreparedBatch prepared = PreparedBatch.of(Inputs.collect(List.of(in)).files(),
                new Ingestor(Ingestor.DEFAULT_MIN_TRANSCRIPT_CHARS), "sim", new FolderBlobStore(work.resolve("blobs")));
        return store.batchCreate(TestBatches.batch(prepared.runKey(), "sim", Instant.now(), prepared.meetings()));
    }

    private static long running(MeetingStore store, String batchId) {
        return store.meetingsList(batchId).stream().filter(m -> m.state() == MeetingState.RUNNING).count();
    }

    /**
     * Broke: a reaped lease always read "the worker holding this meeting stopped (crashed or was killed)",
     * also when the worker had only been paused (a 50 MB transcript under -Xmx1g, GC).
     */
    @Test
    void aPausedWorkerSaysItsHeartbeatsRanLateAndTheAttemptLogDoesNotBlameACrash() throws Exception {
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            MinutesProcess worker = worker("--sim-latency-ms", "4000", "--concurrency", "1", "--lease", "1500ms");
            Batch batch = submit(store, 1);
            await().atMost(Duration.ofSeconds(30)).until(() -> running(store, batch.id()) == 1);

            long pid = worker.process().pid();
            new ProcessBuilder("kill", "-STOP", String.valueOf(pid)).start().waitFor();
            long stoppedAt = System.nanoTime();
            try {
                // another node finds the lease expired while the worker is stopped
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> store.meetingsReap(new MeetingStore.ReapParams(Instant.now(), null,
                RetryPolicy.builder().baseDelay(Duration.ZERO).maxLeasesLostInARow(3).build()::afterLeaseLost)) == 1);
                // the fault itself, not a wait for something: a pause of at least two leases
                long leftMillis = 3_000 - (System.nanoTime() - stoppedAt) / 1_000_000;
                if (leftMillis > 0) Thread.sleep(leftMillis);
            } finally {
                new ProcessBuilder("kill", "-CONT", String.valueOf(pid)).start().waitFor();
            }

            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> worker.stderrText().contains("heartbeats ran"));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the worker did not say its heartbeats ran late: " + worker.stderrText(), e);
            }
            assertThat(worker.stderrText()).contains("this process was paused for", "(GC) or the machine is too busy")
                    .doesNotContain("crashed");
            Meeting meeting = store.meetingsList(batch.id()).getFirst();
            assertThat(meeting.attempts().getFirst().failure().message()).isEqualTo(JdbcMeetingStore.LEASE_EXPIRED)
                    .doesNotContain("crashed");
        }
    }

    /** Broke (issue 15): cancelling a batch logged "WARN ... lease ... was lost ...; its outcome was dropped" per meeting in flight. */
    @Test
    void cancellingABatchIsNotReportedAsLostLeases() throws Exception {
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            MinutesProcess worker = worker("--sim-latency-ms", "2000", "--concurrency", "3", "--log-level", "debug");
            Batch batch = submit(store, 3);
            await().atMost(Duration.ofSeconds(30)).until(() -> running(store, batch.id()) == 3);

            store.batchCancel(new BatchStore.BatchCancelParams(batch.id(), Instant.now()));

            await().atMost(Duration.ofSeconds(30)).until(() ->
                    worker.stderrText().split("was cancelled while attempt 1 ran", -1).length - 1 == 3);
            assertThat(worker.stderrText()).doesNotContain("was lost before attempt");
        }
    }
}

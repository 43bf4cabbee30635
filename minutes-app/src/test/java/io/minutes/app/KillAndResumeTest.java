package io.minutes.app;

import io.minutes.core.engine.InProcessStoreEvents;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.port.MeetingStore;
import io.minutes.core.port.BatchStore;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A real {@code minutes run} killed with SIGKILL mid-batch, then run again. */
class KillAndResumeTest {
    private static final int MEETINGS = 300;

    @TempDir
    Path work;

    @Test
    void afterKillMinus9TheSameCommandFinishesTheBatchAndCompletesEveryMeetingExactlyOnce() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        String[] command = {"run", "in", "--out", "out", "--db", "m.db", "--provider", "sim",
                "--sim-latency-ms", "20", "--concurrency", "5", "--json"};

        MinutesProcess first = MinutesProcess.start(work, command);
        Map<String, List<Attempt>> doneBeforeKill;
        try (MeetingStore observer = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> completed(observer).size() >= MEETINGS / 4);
            // killed while it holds meetings: on a busy machine its claim loop can lag behind its finished calls
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(5)).until(() -> !observer.leaseOwners().isEmpty());
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, leases left behind
            first.process().waitFor();
            doneBeforeKill = completed(observer);
            assertThat(doneBeforeKill.size()).as("killed mid-batch").isLessThan(MEETINGS);
            assertThat(observer.leaseOwners()).as("the killed run left leases behind").isNotEmpty();
        }

        MinutesProcess.Finished second = MinutesProcess.start(work, command).await(120);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.stderr()).contains("Resuming batch");
        JsonNode report = new ObjectMapper().readTree(second.stdout());
        assertThat(report.get("completed").asInt()).isEqualTo(MEETINGS);
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            List<Meeting> meetings = store.meetingsList(report.get("batch_id").asText());
            assertThat(meetings).hasSize(MEETINGS).allSatisfy(m -> {
                assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                assertThat(m.attempts().stream().filter(Attempt::succeeded).count())
                        .as("successful attempts of %s", m.source()).isEqualTo(1);
            });
            for (Meeting m : meetings) {
                if (doneBeforeKill.containsKey(m.id())) {
                    assertThat(m.attempts()).as("%s was done before the kill and never redone", m.source())
                            .isEqualTo(doneBeforeKill.get(m.id()));
                }
            }
        }
    }

    @Test
    void ctrlCStopsCleanlyWritesWhatIsDoneAndTheRerunPaysForNothingTwice() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        String[] command = {"run", "in", "--out", "out", "--db", "m.db", "--provider", "sim",
                "--sim-latency-ms", "20", "--concurrency", "5"};

        MinutesProcess first = MinutesProcess.startInterruptible(work, command);
        try (MeetingStore observer = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            await().atMost(Duration.ofSeconds(60)).until(() -> completed(observer).size() >= MEETINGS / 4);
            new ProcessBuilder("kill", "-INT", String.valueOf(first.process().pid())).start().waitFor();
            MinutesProcess.Finished interrupted = first.await(60);

            assertThat(interrupted.exitCode()).isEqualTo(130);
            assertThat(interrupted.stderr()).contains("Run the same command again");
            assertThat(observer.leaseOwners()).as("every lease was handed back").isEmpty();
            JsonNode partial = new ObjectMapper().readTree(work.resolve("out/batch.json").toFile());
            assertThat(partial.get("unfinished").asInt()).isPositive();
            assertThat(partial.get("completed").asInt()).isEqualTo(completed(observer).size());
        }

        MinutesProcess.Finished second = MinutesProcess.start(work, command).await(120);

        assertThat(second.exitCode()).as(second.stderr()).isZero();
        try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
            assertThat(completed(store)).hasSize(MEETINGS)
                    .allSatisfy((id, attempts) -> assertThat(attempts).as("attempts of %s", id).hasSize(1));
        }
    }

    private Map<String, List<Attempt>> completed(MeetingStore store) {
        Map<String, List<Attempt>> done = new HashMap<>();
        store.batchPage(new BatchStore.BatchPageParams(null, null, 1)).stream().findFirst().ifPresent(batch -> {
            for (Meeting m : store.meetingsList(batch.id())) {
                if (m.state() == MeetingState.COMPLETED) done.put(m.id(), m.attempts());
            }
        });
        return done;
    }
}

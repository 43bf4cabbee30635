package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Lane;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.providers.emulator.BatchEmulator;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The kill -9 test of the batch lane, for any provider's batch emulator: a real {@code minutes run --lane batch}
 * goes through a {@link HoldingProxy} to the emulator, is killed with SIGKILL while the proxy holds the chosen
 * request, then the same command is run again. It must finish every meeting once, with one provider batch
 * created, each meeting answered once by the emulator's own count (batch and realtime endpoints together), and
 * the receipt at half the list price.
 */
final class BatchLaneKill {
    static final int MEETINGS = 40;

    private BatchLaneKill() {
    }

    /** Where the first process dies: the first request matching {@code request} (method, path), held at {@code hold}. */
    record Point(BiPredicate<String, String> request, HoldingProxy.Hold hold) {
    }

    /** The provider as {@code run} is told it ({@code --provider}, {@code --model}), its key's variable, and its emulator. */
    record Provider(String name, String model, Map<String, String> env, BatchEmulator emulator) {
    }

    /** Kills the run at {@code point}, runs it again, and checks what the emulator and the store say. */
    static void killAtThenResume(Path work, Provider provider, Point point) throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        BatchEmulator emulator = provider.emulator();
        try (HoldingProxy proxy = new HoldingProxy(emulator.origin(), point.request(), point.hold())) {
            String[] command = {"run", "in", "--out", "out", "--db", "m.db", "--provider", provider.name(), "--base-url",
                    proxy.baseUrl(), "--model", provider.model(), "--lane", "batch", "--batch-poll-interval", "200ms", "--json"};

            MinutesProcess first = MinutesProcess.start(work, provider.env(), command);
            await().atMost(Duration.ofSeconds(90)).until(() -> proxy.holding() || !first.process().isAlive());
            if (!proxy.holding()) {
                MinutesProcess.Finished ran = first.await(10);
                throw new AssertionError("the run ended (exit " + ran.exitCode() + ") before it sent the request to kill it at: "
                        + ran.stderr());
            }
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, the provider batch's lease left behind
            first.process().waitFor();
            proxy.release();

            MinutesProcess.Finished second = MinutesProcess.start(work, provider.env(), command).await(120);

            assertThat(second.exitCode()).as(second.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(second.stdout());
            assertThat(report.get("completed").asInt()).as(second.stderr()).isEqualTo(MEETINGS);
            assertThat(emulator.batchesCreated()).as("one provider batch, never a second").isEqualTo(1);
            assertThat(emulator.answeredPerCustomId()).as("the emulator answered each line once, none in realtime")
                    .hasSize(MEETINGS).allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
            assertThat(emulator.answeredPerMeeting()).as("the emulator answered each meeting once")
                    .hasSize(MEETINGS).allSatisfy((title, times) -> assertThat(times).as(title).isEqualTo(1));
            try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
                List<Meeting> meetings = store.meetingsList(report.get("batch_id").asText());
                assertThat(meetings).hasSize(MEETINGS).allSatisfy(m -> {
                    assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                    assertThat(m.ranLane()).isEqualTo(Lane.BATCH);
                    assertThat(m.attempts().stream().filter(Attempt::succeeded).count()).as(m.source()).isEqualTo(1);
                });
            }
            JsonNode receipt = new ObjectMapper().readTree(Files.readString(work.resolve("out/batch.json"))).get("receipt");
            assertThat(receipt.get("paid_usd").asDouble()).isCloseTo(receipt.get("list_usd").asDouble() / 2, within(1e-9));
        }
    }
}

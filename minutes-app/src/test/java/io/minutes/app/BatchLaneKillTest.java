package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Attempt;
import io.minutes.core.domain.Meeting;
import io.minutes.core.domain.MeetingState;
import io.minutes.core.engine.InProcessStoreEvents;
import io.minutes.core.port.MeetingStore;
import io.minutes.providers.emulator.OpenAiBatchEmulator;
import io.minutes.store.sqlite.SqliteMeetingStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real {@code minutes run --lane batch} killed with SIGKILL at each step of a provider batch's life, then the
 * same command run again: every meeting completes once, the emulator answered each meeting once, and one
 * provider batch was created.
 */
class BatchLaneKillTest {
    private static final int MEETINGS = 40;

    /** Where the first process dies, as the request the proxy holds it at. */
    enum KillPoint {
        BEFORE_UPLOAD((m, p) -> m.equals("POST") && p.equals("/v1/files"), HoldingProxy.Hold.REQUEST),
        BETWEEN_UPLOAD_AND_CREATE((m, p) -> m.equals("POST") && p.equals("/v1/batches"), HoldingProxy.Hold.REQUEST),
        AFTER_CREATE((m, p) -> m.equals("POST") && p.equals("/v1/batches"), HoldingProxy.Hold.RESPONSE),
        WHILE_POLLING((m, p) -> m.equals("GET") && p.startsWith("/v1/batches/"), HoldingProxy.Hold.REQUEST),
        WHILE_READING_OUTPUT((m, p) -> m.equals("GET") && p.startsWith("/v1/files/") && p.endsWith("/content"),
                HoldingProxy.Hold.HALF_BODY);

        final BiPredicate<String, String> request;
        final HoldingProxy.Hold hold;

        KillPoint(BiPredicate<String, String> request, HoldingProxy.Hold hold) {
            this.request = request;
            this.hold = hold;
        }
    }

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedAtEachStepTheRunIsResumedWithOneProviderBatchAndEachMeetingAnsweredOnce(KillPoint point) throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), MEETINGS);
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator();
             HoldingProxy proxy = new HoldingProxy(openai.origin(), point.request, point.hold)) {
            openai.validating(Duration.ofMillis(200)).running(Duration.ofSeconds(1)).finalizing(Duration.ofMillis(200));
            Map<String, String> env = Map.of("OPENAI_API_KEY", OpenAiBatchEmulator.KEY);
            String[] command = {"run", "in", "--out", "out", "--db", "m.db", "--provider", "openai", "--base-url",
                    proxy.baseUrl(), "--model", "gpt-4o-mini", "--lane", "batch", "--batch-poll-interval", "200ms", "--json"};

            MinutesProcess first = MinutesProcess.start(work, env, command);
            await().atMost(Duration.ofSeconds(90)).until(proxy::holding);
            first.process().destroyForcibly(); // SIGKILL: no shutdown hook, the provider batch's lease left behind
            first.process().waitFor();
            proxy.release();

            MinutesProcess.Finished second = MinutesProcess.start(work, env, command).await(120);

            assertThat(second.exitCode()).as(second.stderr()).isZero();
            JsonNode report = new ObjectMapper().readTree(second.stdout());
            assertThat(report.get("completed").asInt()).as(second.stderr()).isEqualTo(MEETINGS);
            assertThat(openai.batchesCreated()).as("one provider batch, never a second").isEqualTo(1);
            assertThat(openai.answeredPerCustomId()).as("the emulator answered each meeting once").hasSize(MEETINGS)
                    .allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
            try (MeetingStore store = SqliteMeetingStore.open(work.resolve("m.db"), new InProcessStoreEvents())) {
                List<Meeting> meetings = store.meetingsList(report.get("batch_id").asText());
                assertThat(meetings).hasSize(MEETINGS).allSatisfy(m -> {
                    assertThat(m.state()).isEqualTo(MeetingState.COMPLETED);
                    assertThat(m.ranLane()).isEqualTo(io.minutes.core.domain.Lane.BATCH);
                    assertThat(m.attempts().stream().filter(Attempt::succeeded).count()).as(m.source()).isEqualTo(1);
                });
            }
            JsonNode batch = new ObjectMapper().readTree(Files.readString(work.resolve("out/batch.json")));
            assertThat(batch.get("receipt").get("paid_usd").asDouble())
                    .isCloseTo(batch.get("receipt").get("list_usd").asDouble() / 2, org.assertj.core.api.Assertions.within(1e-9));
        }
    }
}

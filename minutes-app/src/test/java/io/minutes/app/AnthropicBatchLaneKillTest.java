package io.minutes.app;

import io.minutes.providers.emulator.AnthropicBatchEmulator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BiPredicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code minutes run --lane batch} on Anthropic's Message Batches killed with SIGKILL at each step of a
 * message batch's life, then the same command run again ({@link BatchLaneKill}). Anthropic's batches carry no
 * metadata: the node that resumes finds the batch by the key's tag in its custom ids and by its line count.
 * There is no upload step: the lines go inline with the create.
 */
class AnthropicBatchLaneKillTest {
    private static final String BATCHES = "/v1/messages/batches";

    /** Where the first process dies, as the request the proxy holds it at. */
    enum KillPoint {
        BEFORE_CREATE((m, p) -> m.equals("POST") && p.equals(BATCHES), HoldingProxy.Hold.REQUEST),
        AFTER_CREATE((m, p) -> m.equals("POST") && p.equals(BATCHES), HoldingProxy.Hold.RESPONSE),
        WHILE_POLLING((m, p) -> m.equals("GET") && p.startsWith(BATCHES + "/") && !p.endsWith("/results"),
                HoldingProxy.Hold.REQUEST),
        WHILE_READING_RESULTS((m, p) -> m.equals("GET") && p.startsWith(BATCHES + "/") && p.endsWith("/results"),
                HoldingProxy.Hold.HALF_BODY);

        final BatchLaneKill.Point point;

        KillPoint(BiPredicate<String, String> request, HoldingProxy.Hold hold) {
            this.point = new BatchLaneKill.Point(request, hold);
        }
    }

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedAtEachStepTheRunIsResumedWithOneMessageBatchAndEachMeetingAnsweredOnce(KillPoint point) throws Exception {
        try (AnthropicBatchEmulator anthropic = new AnthropicBatchEmulator()) {
            anthropic.running(Duration.ofSeconds(1));
            BatchLaneKill.killAtThenResume(work, new BatchLaneKill.Provider("anthropic", "claude-haiku-4-5",
                    Map.of("ANTHROPIC_API_KEY", AnthropicBatchEmulator.KEY), anthropic), point.point);
            assertThat(anthropic.batchesHeld()).as("the message batch deleted once its results were read").isZero();
        }
    }
}

package io.minutes.app;

import io.minutes.providers.emulator.OpenAiBatchEmulator;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real {@code minutes run --lane batch} on OpenAI's Batch API killed with SIGKILL at each step of a provider
 * batch's life, then the same command run again: every meeting completes once, the emulator answered each meeting
 * once, and one provider batch was created ({@link BatchLaneKill}).
 */
class BatchLaneKillTest {

    /** Where the first process dies, as the request the proxy holds it at. */
    enum KillPoint {
        BEFORE_UPLOAD((m, p) -> m.equals("POST") && p.equals("/v1/files"), HoldingProxy.Hold.REQUEST),
        BETWEEN_UPLOAD_AND_CREATE((m, p) -> m.equals("POST") && p.equals("/v1/batches"), HoldingProxy.Hold.REQUEST),
        AFTER_CREATE((m, p) -> m.equals("POST") && p.equals("/v1/batches"), HoldingProxy.Hold.RESPONSE),
        WHILE_POLLING((m, p) -> m.equals("GET") && p.startsWith("/v1/batches/"), HoldingProxy.Hold.REQUEST),
        WHILE_READING_OUTPUT((m, p) -> m.equals("GET") && p.startsWith("/v1/files/") && p.endsWith("/content"),
                HoldingProxy.Hold.HALF_BODY);

        final BatchLaneKill.Point point;

        KillPoint(java.util.function.BiPredicate<String, String> request, HoldingProxy.Hold hold) {
            this.point = new BatchLaneKill.Point(request, hold);
        }
    }

    @TempDir
    Path work;

    @ParameterizedTest
    @EnumSource(KillPoint.class)
    void killedAtEachStepTheRunIsResumedWithOneProviderBatchAndEachMeetingAnsweredOnce(KillPoint point) throws Exception {
        try (OpenAiBatchEmulator openai = new OpenAiBatchEmulator()) {
            openai.validating(Duration.ofMillis(200)).running(Duration.ofSeconds(1)).finalizing(Duration.ofMillis(200));
            BatchLaneKill.killAtThenResume(work, new BatchLaneKill.Provider("openai", "gpt-4o-mini",
                    Map.of("OPENAI_API_KEY", OpenAiBatchEmulator.KEY), openai), point.point);
            assertThat(openai.filesHeld("batch")).as("the input file deleted once the output was read").isZero();
            assertThat(openai.filesHeld("batch_output")).as("the output and error files deleted once read").isZero();
        }
    }
}

package io.minutes.core.engine;

import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.domain.AudioRef;
import io.minutes.core.domain.ClaimedMeeting;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.Segment;
import io.minutes.core.domain.Tier;
import io.minutes.core.domain.Transcript;
import io.minutes.core.port.Transcriber;
import io.minutes.core.testing.TestEngine;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The pipeline's own decisions; recordings through a real store and transcriber are tested in minutes-app. */
class PipelineTest {
    private static final AudioRef RECORDING = new AudioRef("ab".repeat(32), "audio/mpeg");
    private static final Transcript HEARD = new Transcript("openai whisper-1", List.of(
            new Segment(null, 0.0, 4.0, "Good morning. I will send the budget report to the board by Friday."),
            new Segment(null, 4.0, 9.0, "We decided to ship the new release next Tuesday after the review.")));

    private static ClaimedMeeting recording(Transcript checkpointed) {
        return new ClaimedMeeting("mtg_1", "batch_1", 0, "standup.mp3", "standup", checkpointed, 2, 0,
                Instant.parse("2026-11-25T10:00:00Z"), RECORDING, Tier.ORDINARY, null, false, null);
    }

    @Test
    void aRecordingWithoutATranscriberFailsPermanentlyAndSaysSo() {
        StepOutcome outcome = TestEngine.pipeline(new LocalAnalyzer()).run(recording(null));

        assertThat(outcome).isInstanceOfSatisfying(StepOutcome.Failed.class, failed -> {
            assertThat(failed.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
            assertThat(failed.failure().message()).isEqualTo("standup.mp3 is a recording and no transcriber is set up");
        });
    }

    @Test
    void aCheckpointedTranscriptIsAnalysedWithoutTranscribingAgain() {
        Transcriber mustNotBeCalled = new Transcriber() {
            @Override
            public String name() {
                return "must-not-be-called";
            }

            @Override
            public Result transcribe(Request request) {
                throw new AssertionError("transcribed twice");
            }
        };
        Pipeline pipeline = TestEngine.pipeline(new LocalAnalyzer(),
                new Pipeline.Transcription(mustNotBeCalled, null, null, "node", Clock.systemUTC()));

        StepOutcome outcome = pipeline.run(recording(HEARD));

        assertThat(outcome).isInstanceOfSatisfying(StepOutcome.Completed.class,
                done -> assertThat(done.analysis().actionItems()).isNotEmpty());
    }
}

package io.minutes.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The lane setting refuses a lane it does not know, and a batch lane with nowhere to send, before anything is stored. */
class LaneSettingTest {

    @TempDir
    Path work;

    @Test
    void anUnknownLaneIsRefusedNamingTheSettingAndTheLanes() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 1);
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--lane", "cheap");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("lane").contains("lane must be auto, realtime, flex or batch, got 'cheap'")
                .doesNotContain("Exception", "\tat ");
        assertThat(Files.exists(work.resolve("m.db"))).as("nothing stored").isFalse();
    }

    @Test
    void theBatchLaneNeedsAProviderWithABatchApi() throws Exception {
        TestTranscripts.writeMany(work.resolve("in"), 1);
        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "in", "--out", "out", "--db", "m.db", "--lane", "batch",
                "--provider", "sim");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("setting 'lane' is batch, but provider 'sim' has no batch API")
                .doesNotContain("Exception", "\tat ");
        assertThat(Files.exists(work.resolve("m.db"))).as("nothing stored").isFalse();
    }
}

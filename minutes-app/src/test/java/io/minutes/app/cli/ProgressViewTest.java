package io.minutes.app.cli;

import io.minutes.core.domain.BatchCounts;
import io.minutes.core.domain.ProgressEvent;
import io.minutes.core.domain.ProviderBatchProgress;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressViewTest {

    @Test
    void theProgressLineTellsTheProviderBatchCountsWhileMeetingsWaitInOne() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        BatchCounts waiting = new BatchCounts(0, 0, 0, 0, 0, 0, 1000);
        ProgressView view = new ProgressView(out, false, "batch_1", waiting);

        view.publish(ProgressEvent.ofProviderBatch("batch_1", new ProviderBatchProgress("batch_abc", "in_progress", 812, 1000), waiting));
        view.publish(ProgressEvent.ofProviderBatch("batch_other", new ProviderBatchProgress("batch_xyz", "in_progress", 1, 2), waiting));
        view.finish(waiting);

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[lines.length - 1]).startsWith("0/1000 done")
                .endsWith("; 1000 waiting in provider batch batch_abc: 812 of 1,000 done (in_progress)");
    }

    @Test
    void noProviderBatchIsToldOnceNothingWaits() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        ProgressView view = new ProgressView(out, false, "batch_1", new BatchCounts(0, 0, 0, 0, 0, 0, 2));
        view.publish(ProgressEvent.ofProviderBatch("batch_1", new ProviderBatchProgress("batch_abc", "completed", 2, 2),
                new BatchCounts(0, 0, 0, 0, 0, 0, 2)));
        view.finish(new BatchCounts(0, 0, 2, 0, 0, 0, 0));

        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertThat(lines[lines.length - 1]).startsWith("2/2 done").doesNotContain("provider batch");
    }
}

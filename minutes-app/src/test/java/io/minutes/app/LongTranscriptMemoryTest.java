package io.minutes.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, "a transcript is held once, not copied per stage": a long transcript runs in a JVM whose
 * heap is a small multiple of its size. The 20 MiB and 50 MB figures are in the README (too slow here).
 */
class LongTranscriptMemoryTest {
    private static final String[] SPEAKERS = {"Alice", "Bob", "Carol", "Dave", "Erin", "Frank", "Grace", "Heidi"};
    private static final String[] SAID = {"I will send the budget report by Friday.", "We decided to ship the release next week.",
            "Who owns the migration plan?", "Okay, let us review the design doc.", "Yeah.",
            "I think the test suite is fine, but the server needs work.", "Can you book the room before the review?",
            "Action item: update the agenda."};

    @TempDir
    Path work;

    /**
     * Broke: the local analyzer held every word of a long transcript as its own String (a 20 MiB
     * transcript: 4.3 million of them, ~470 MB live), so a transcript of 5 MiB needed more than a
     * 128 MiB heap and the run hung after an OutOfMemoryError.
     */
    @Test
    void aFiveMebibyteTranscriptOfThirtyThousandTurnsCompletesWithA128MebibyteHeap() throws Exception {
        Path in = Files.createDirectories(work.resolve("in"));
        int turns = writeMeeting(in.resolve("all-hands.txt"), 5L << 20);

        MinutesProcess.Finished run = MinutesProcess.startInJvm(work, List.of("-Xmx128m"),
                "run", "in", "--out", "out", "--db", "m.db", "--provider", "local", "--json").await(180);

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        JsonNode report = new ObjectMapper().readTree(run.stdout());
        assertThat(report.get("completed").asInt()).as(run.stderr()).isEqualTo(1);
        JsonNode minutes = new ObjectMapper().readTree(work.resolve("out/all-hands.json").toFile());
        assertThat(minutes.get("participants")).hasSize(SPEAKERS.length);
        assertThat(turns).isGreaterThan(25_000);
        assertThat(run.stderr()).doesNotContain("OutOfMemoryError");
    }

    /** Speaker turns of one to five sentences, like a long meeting's plain-text export; returns the turns written. */
    private static int writeMeeting(Path file, long bytes) throws IOException {
        Random random = new Random(14);
        long written = 0;
        int turns = 0;
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            while (written < bytes - 1_000) {
                StringBuilder turn = new StringBuilder(SPEAKERS[random.nextInt(SPEAKERS.length)]).append(':');
                for (int i = random.nextInt(5); i >= 0; i--) turn.append(' ').append(SAID[random.nextInt(SAID.length)]);
                turn.append('\n');
                out.write(turn.toString());
                written += turn.length();
                turns++;
            }
        }
        return turns;
    }
}

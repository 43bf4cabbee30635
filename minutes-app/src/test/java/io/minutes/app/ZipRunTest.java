package io.minutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.ingest.Zips;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minutes run} on ZIP archives, as a user runs it: a separate process, real archives, a real bomb. */
class ZipRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void aMalformedEntryAndABombFailAloneWhileEveryOtherMeetingCompletes() throws Exception {
        Files.write(work.resolve("november.zip"), Zips.of(io.minutes.app.cli.PreparedBatchZipTestArchives.goodAndBad()));
        Zips.bomb(work.resolve("bomb.zip"), List.of("transcript.txt"), 4095, true);

        MinutesProcess.Finished run = MinutesProcess.run(work, "run", "november.zip", "bomb.zip",
                "--out", "out", "--db", "state/m.db", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(1);
        JsonNode items = JSON.readTree(run.stdout()).get("items");
        assertThat(items).extracting(i -> i.get("source").asText() + " " + i.get("status").asText()).containsExactly(
                "november.zip!/2026-11/planning.vtt completed", "november.zip!/2026-11/broken.vtt failed",
                "november.zip!/2026-11/retro.docx completed", "bomb.zip failed");
        assertThat(items.get(1).get("error").get("message").asText())
                .startsWith("november.zip!/2026-11/broken.vtt: line 3: expected a cue timing");
        assertThat(items.get(3).get("error").get("message").asText())
                .isEqualTo("bomb.zip: refused: entry \"transcript.txt\" unzips to more than 100 times its compressed "
                        + "size, which is how ZIP bombs look");
        assertThat(run.stderr()).contains("In archives: november.zip!/__MACOSX/2026-11/._planning.vtt: passed over "
                + "(macOS metadata); november.zip!/2026-11/recording.pdf: passed over (not a supported file type)");
        assertThat(work.resolve("out/planning.json")).exists();
        assertThat(work.resolve("out/retro.md")).exists();
    }
}

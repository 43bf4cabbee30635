package io.minutes.app.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import io.minutes.core.ingest.Docx;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One archive for the ZIP tests: good entries, a malformed one, a Word file, and entries to pass over. */
public final class PreparedBatchZipTestArchives {

    public static final String GOOD_VTT = """
            WEBVTT

            00:00:01.000 --> 00:00:05.000
            <v Alice>We decided to move the launch to March because the audit is late.

            00:00:05.000 --> 00:00:09.000
            <v Bob>I will send the revised plan to the board by Friday.
            """;

    private PreparedBatchZipTestArchives() {
    }

    public static Map<String, byte[]> goodAndBad() {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("2026-11/planning.vtt", GOOD_VTT.getBytes(UTF_8));
        entries.put("2026-11/broken.vtt", "WEBVTT\n\n00:00:01.000 -> 00:00:05.000\nAlice: hello\n".getBytes(UTF_8));
        entries.put("2026-11/retro.docx", Docx.of(List.of("Carol  0:00", "The retro found three problems with the "
                + "deploy checklist and we will fix all of them this week.", "Dan  0:20", "I'll own the checklist.")));
        entries.put("__MACOSX/2026-11/._planning.vtt", new byte[]{0, 5, 22, 7});
        entries.put("2026-11/recording.pdf", "%PDF-1.4".getBytes(UTF_8));
        return entries;
    }
}

package io.minutes.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code minutes transcript FILE --to FORMAT}, run as a user runs it. */
class TranscriptCommandTest {

    @TempDir
    Path work;

    @Test
    void convertsTeamsVttToSrtOnStdoutAndToJsonInAFile() throws Exception {
        Files.writeString(work.resolve("standup.vtt"), """
                WEBVTT

                3f9c1a2e-5b8d-4c7e-9a1f-2d3e4f5a6b7c/12-0
                0:0:1.500 --> 0:0:4.0
                <v Ann Lee>Morning all. <laugh></v>

                3f9c1a2e-5b8d-4c7e-9a1f-2d3e4f5a6b7c/13-0
                0:0:4.0 --> 0:0:6.250
                <v Ann Lee>Let's start.</v>

                3f9c1a2e-5b8d-4c7e-9a1f-2d3e4f5a6b7c/14-0
                0:0:6.250 --> 0:0:8.0
                <v Bo Chen>Zoë is out today.</v>
                """);

        MinutesProcess.Finished srt = MinutesProcess.run(work, "transcript", "standup.vtt", "--to", "srt");

        assertThat(srt.exitCode()).as(srt.stderr()).isZero();
        assertThat(srt.stdout()).isEqualTo("""
                1
                00:00:01,500 --> 00:00:06,250
                Ann Lee: Morning all. Let's start. [laugh]

                2
                00:00:06,250 --> 00:00:08,000
                Bo Chen: Zoë is out today.
                """);

        MinutesProcess.Finished json = MinutesProcess.run(work, "transcript", "standup.vtt", "--to", "json", "--out", "out/standup.json");
        assertThat(json.exitCode()).as(json.stderr()).isZero();
        assertThat(json.stdout()).isEmpty();
        assertThat(Files.readString(work.resolve("out/standup.json"))).contains("\"title\": \"standup\"",
                "{\"speaker\": \"Ann Lee\", \"start\": 1.5, \"end\": 6.25, \"text\": \"Morning all. Let's start.\", \"annotations\": [\"laugh\"]}");
    }

    @Test
    void captionsFromAnUntimedTranscriptAndUnreadableFilesAreClearErrors() throws Exception {
        Files.writeString(work.resolve("notes.txt"), "Ann: We agreed.\nBob: Fine.\n");
        Files.writeString(work.resolve("bad.vtt"), "WEBVTT\n\n00:01 -> 00:02\nhello\n");

        MinutesProcess.Finished untimed = MinutesProcess.run(work, "transcript", "notes.txt", "--to", "vtt");
        assertThat(untimed.exitCode()).isEqualTo(1);
        assertThat(untimed.stderr()).contains("notes.txt: cannot write WebVTT: segment 1 (Ann) has no start time");

        MinutesProcess.Finished bad = MinutesProcess.run(work, "transcript", "bad.vtt", "--to", "txt");
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.stderr()).contains("bad.vtt: line 3: expected a cue timing");

        MinutesProcess.Finished usage = MinutesProcess.run(work, "transcript", "notes.txt", "--to", "pdf");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.stderr()).contains("unknown transcript format \"pdf\"; use txt, srt, vtt or json");
    }
}

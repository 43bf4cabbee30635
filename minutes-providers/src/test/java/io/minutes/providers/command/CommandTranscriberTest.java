package io.minutes.providers.command;

import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.audio.Ffmpeg;
import io.minutes.providers.audio.FileTranscriber;
import io.minutes.providers.audio.SpeechAudio;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Real processes: small shell scripts standing in for whisper-cli, writing what whisper.cpp writes
 * (-oj JSON, -osrt, its stdout lines), so the template, placeholders and parsers are exercised for real.
 */
class CommandTranscriberTest {
    @TempDir
    Path dir;
    Path audio;

    @BeforeEach
    void recording() throws Exception {
        Path work = Files.createDirectories(dir.resolve("work"));
        audio = Files.write(work.resolve("recording.mp3"), new byte[]{'I', 'D', '3', 4, 0, 0, 0});
    }

    private Path script(String name, String body) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n" + body);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return script;
    }

    private FileTranscriber.Heard run(String template) throws Exception {
        return new CommandTranscriber(template, Ffmpeg.onPath(), Duration.ofSeconds(30)).transcribe(audio, MediaFormat.MP3, "standup.mp3");
    }

    @Test
    void readsWhisperCppJsonWrittenToOutput() throws Exception {
        Path whisper = script("whisper-cli", """
                # whisper-cli -m MODEL -f INPUT -oj -of OUTPUT
                test -f "$4" || exit 3
                cat > "$7.json" <<'JSON'
                {"systeminfo": "AVX = 1", "model": {"type": "base"}, "params": {"language": "en"},
                 "result": {"language": "en"},
                 "transcription": [
                  {"timestamps": {"from": "00:00:00,000", "to": "00:00:04,200"}, "offsets": {"from": 0, "to": 4200},
                   "text": " Alice will send the budget report by Friday."},
                  {"timestamps": {"from": "00:00:04,200", "to": "00:00:07,000"}, "offsets": {"from": 4200, "to": 7000},
                   "text": " We decided to ship on Tuesday."}]}
                JSON
                """);

        FileTranscriber.Heard heard = run("'" + whisper + "' -m ggml-base.en.bin -f {input} -oj -of {output}");

        assertThat(heard.segments()).containsExactly(
                new Segment(null, 0.0, 4.2, "Alice will send the budget report by Friday."),
                new Segment(null, 4.2, 7.0, "We decided to ship on Tuesday."));
    }

    @Test
    void readsSrtThroughTheTranscriptParsers() throws Exception {
        Path whisper = script("whisper-srt", """
                out="$2"
                printf '1\\r\\n00:00:00,000 --> 00:00:03,500\\r\\nAlice will send the report.\\r\\n\\r\\n2\\r\\n00:00:03,500 --> 00:00:06,000\\r\\nBob agrees.\\r\\n' > "$out.srt"
                """);

        FileTranscriber.Heard heard = run(whisper + " -of {output} -f {input}");

        // the transcript parsers merge one speaker's consecutive cues, as for any SRT
        assertThat(heard.segments()).containsExactly(new Segment(null, 0.0, 6.0, "Alice will send the report. Bob agrees."));
    }

    @Test
    void readsWhisperCliStdoutWhenNoFileIsWritten() throws Exception {
        Path whisper = script("whisper-stdout", """
                echo "[00:00:00.000 --> 00:00:02.500]   Good morning everyone."
                echo "[00:00:02.500 --> 00:00:06.000]   Alice will send the budget report by Friday."
                """);

        FileTranscriber.Heard heard = run(whisper + " {input}");

        assertThat(heard.segments()).containsExactly(
                new Segment(null, 0.0, 6.0, "Good morning everyone. Alice will send the budget report by Friday."));
    }

    @Test
    void wavPlaceholderGivesTheProgramA16kHzMonoWav() throws Exception {
        SpeechAudio.assumeTools();
        audio = SpeechAudio.speech("hello", "Hello, this is a short recording.");
        Path probe = script("probe", """
                ffprobe -v error -show_entries stream=sample_rate,channels,codec_name -of csv=p=0 "$1" > "$2.txt"
                """);

        FileTranscriber.Heard heard = new CommandTranscriber(probe + " {wav} {output}", Ffmpeg.onPath(), Duration.ofSeconds(30))
                .transcribe(audio, MediaFormat.WAV, "hello.wav");

        assertThat(heard.segments()).extracting(Segment::text).containsExactly("pcm_s16le,16000,1");
    }

    @Test
    void aFailingProgramFailsTheMeetingWithItsLastWords() throws Exception {
        Path whisper = script("broken", "echo 'error: failed to open model ggml-base.bin' >&2\nexit 2\n");

        assertThatThrownBy(() -> run(whisper + " -f {input}"))
                .isInstanceOfSatisfying(TranscriberException.class, e -> {
                    assertThat(e.failure().kind()).isEqualTo(Failure.Kind.PERMANENT);
                    assertThat(e.getMessage()).contains("standup.mp3", "exit 2", "failed to open model ggml-base.bin");
                });
    }

    @Test
    void aMissingProgramNamesTheSetting() {
        assertThatThrownBy(() -> run("/nowhere/whisper-cli -f {input}"))
                .isInstanceOfSatisfying(TranscriberException.class,
                        e -> assertThat(e.getMessage()).contains("cannot run '/nowhere/whisper-cli'", "transcriber-command"));
    }

    @Test
    void aProgramThatHangsIsStoppedAndRetriedLater() throws Exception {
        Path hangs = script("hangs", "exec sleep 30\n");
        CommandTranscriber transcriber = new CommandTranscriber(hangs + " {input}", Optional.empty(), Duration.ofMillis(300));

        assertThatThrownBy(() -> transcriber.transcribe(audio, MediaFormat.MP3, "standup.mp3"))
                .isInstanceOfSatisfying(TranscriberException.class,
                        e -> assertThat(e.failure().kind()).isEqualTo(Failure.Kind.TRANSIENT));
    }

    @Test
    void templatesAreCheckedWhenMade() {
        assertThatThrownBy(() -> new CommandTranscriber("whisper-cli -f {inptu}", Optional.empty(), Duration.ofSeconds(1)))
                .hasMessageContaining("unknown placeholder {inptu}");
        assertThatThrownBy(() -> new CommandTranscriber("whisper-cli -m model.bin", Optional.empty(), Duration.ofSeconds(1)))
                .hasMessageContaining("{input} or {wav}");
        assertThatThrownBy(() -> new CommandTranscriber("whisper-cli -f '{input}", Optional.empty(), Duration.ofSeconds(1)))
                .hasMessageContaining("unbalanced");
    }

    @Test
    void theTemplateIsSplitLikeAShellWouldWithoutRunningOne() {
        assertThat(CommandTranscriber.split("whisper-cli -m '/models/my model.bin' --prompt \"say \\\"hi\\\"\" a\\ b $HOME;rm"))
                .containsExactly("whisper-cli", "-m", "/models/my model.bin", "--prompt", "say \"hi\"", "a b", "$HOME;rm");
    }

    @Test
    void withoutFfmpegTheWavPlaceholderSaysWhatToInstall() {
        CommandTranscriber transcriber = new CommandTranscriber("whisper-cli -f {wav}", Optional.empty(), Duration.ofSeconds(1));

        assertThatThrownBy(() -> transcriber.transcribe(audio, MediaFormat.MP3, "standup.mp3"))
                .hasMessageContaining("apt-get install ffmpeg");
    }

    @Test
    void placeholdersAreDocumented() {
        assertThat(List.of("{input}", "{wav}", "{output}", "{output_dir}")).isEqualTo(CommandTranscriber.PLACEHOLDERS);
    }
}

package io.minutes.app;

import io.minutes.core.testing.OutsidePrograms;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Speech recordings made here with espeak-ng and ffmpeg (never downloaded), kept under
 * target/test-audio so reruns reuse them; nothing is cached outside target/.
 */
final class TestRecordings {
    static final String MEETING = "Good morning everyone, let us start the weekly planning meeting. "
            + "I will send the budget report by Friday. We decided to ship the new release next Tuesday. "
            + "Bob will book the room for the design review. Open question: who owns the migration plan? ";

    private TestRecordings() {
    }

    /** Skips the test, saying why, when a tool is missing (.ci/run installs them). */
    static void assumeTools() {
        OutsidePrograms.assumeInstalled("ffmpeg", "ffprobe", "espeak-ng");
    }

    static Path dir() throws IOException {
        return Files.createDirectories(Path.of("target", "test-audio").toAbsolutePath());
    }

    /** The meeting text spoken by espeak-ng, as WAV. */
    static Path speech() throws IOException {
        return speech(MEETING);
    }

    /** {@code text} spoken by espeak-ng, as WAV: different texts make recordings that differ. */
    static Path speech(String text) throws IOException {
        OutsidePrograms.assumeInstalled("espeak-ng");
        String name = "app-meeting-" + Integer.toHexString(text.hashCode());
        Path wav = dir().resolve(name + ".wav");
        if (!Files.exists(wav)) {
            Path tmp = dir().resolve(name + ".tmp.wav");
            run("espeak-ng", "-s", "175", "-w", tmp.toString(), text);
            Files.move(tmp, wav);
        }
        return wav;
    }

    /** The speech repeated to at least {@code minutes} minutes, as mono 48 kbit/s MP3 (about 360 KB a minute). */
    static Path meetingOfMinutes(int minutes) throws IOException {
        Path mp3 = dir().resolve("meeting-" + minutes + "min-" + Integer.toHexString(MEETING.hashCode()) + ".mp3");
        if (!Files.exists(mp3)) {
            Path wav = speech();
            int loops = (int) Math.ceil(minutes * 60 / durationSeconds(wav));
            Path tmp = dir().resolve("tmp-meeting-" + minutes + "min.mp3");
            run("ffmpeg", "-v", "error", "-nostdin", "-y", "-stream_loop", String.valueOf(loops - 1), "-i", wav.toString(),
                    "-ac", "1", "-c:a", "libmp3lame", "-b:a", "48k", tmp.toString());
            Files.move(tmp, mp3);
        }
        return mp3;
    }

    static double durationSeconds(Path file) throws IOException {
        return Double.parseDouble(output("ffprobe", "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", file.toString()).strip());
    }

    static void run(String... command) throws IOException {
        output(command);
    }

    private static String output(String... command) throws IOException {
        Path out = Files.createTempFile(dir(), "out", ".txt");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        String text = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        if (process.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed: " + text);
        return text;
    }
}

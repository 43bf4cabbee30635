package io.minutes.providers.audio;

import io.minutes.core.testing.OutsidePrograms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Recordings made for tests with espeak-ng and ffmpeg, kept under target/test-audio so a rerun of the
 * tests reuses them (nothing is cached outside target/). Tests that need the tools call
 * {@link #assumeTools()}, which skips them with the reason when the tools are missing.
 */
public final class SpeechAudio {
    public static final String MEETING = "Good morning everyone, let us start the weekly planning meeting. "
            + "Alice will send the budget report by Friday. We decided to ship the new release next Tuesday. "
            + "Bob will book the room for the design review. Open question: who owns the migration plan? ";

    private SpeechAudio() {
    }

    public static void assumeTools() {
        OutsidePrograms.assumeInstalled("ffmpeg", "ffprobe", "espeak-ng");
    }

    public static Path dir() throws IOException {
        return Files.createDirectories(Path.of("target", "test-audio").toAbsolutePath());
    }

    /** {@code text} spoken by espeak-ng, as WAV. */
    public static Path speech(String name, String text) throws IOException {
        OutsidePrograms.assumeInstalled("espeak-ng");
        Path wav = dir().resolve(name + "-" + Integer.toHexString(text.hashCode()) + ".wav");
        if (!Files.exists(wav)) {
            Path tmp = dir().resolve(name + ".tmp.wav");
            run("espeak-ng", "-s", "175", "-w", tmp.toString(), text);
            Files.move(tmp, wav);
        }
        return wav;
    }

    /** The WAV played {@code times} over and encoded with ffmpeg's {@code codecArgs} into {@code name}. */
    public static Path looped(Path wav, int times, String name, String... codecArgs) throws IOException {
        OutsidePrograms.assumeInstalled("ffmpeg");
        String stem = wav.getFileName().toString().replaceFirst("\\.wav$", "");
        Path out = dir().resolve(stem + "-" + name); // named after its source, so a changed text makes a new file
        if (!Files.exists(out)) {
            Path tmp = dir().resolve("tmp-" + stem + "-" + name);
            List<String> command = new ArrayList<>(List.of("ffmpeg", "-v", "error", "-nostdin", "-y",
                    "-stream_loop", String.valueOf(times - 1), "-i", wav.toString()));
            command.addAll(List.of(codecArgs));
            command.add(tmp.toString());
            run(command.toArray(String[]::new));
            Files.move(tmp, out);
        }
        return out;
    }

    public static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish within 5 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (process.exitValue() != 0) throw new IOException(String.join(" ", command) + " failed with exit " + process.exitValue());
    }
}

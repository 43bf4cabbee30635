package io.minutes.providers.audio;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ffmpeg and ffprobe, run as processes: probing a recording's length, finding its silences, and
 * encoding (a stretch of) it as speech-sized audio: mono, 16 kHz, {@value #SPEECH_BITRATE_KBPS} kbit/s
 * MP3 (about 14 MB an hour), the audio track only, so video loses its picture on the way.
 */
public final class Ffmpeg {
    public static final String INSTALL_HINT = "install ffmpeg (Debian/Ubuntu: apt-get install ffmpeg; macOS: brew install ffmpeg)";
    public static final int SPEECH_BITRATE_KBPS = 32;
    /** Bytes a second of speech-sized audio takes. */
    public static final int SPEECH_BYTES_PER_SECOND = SPEECH_BITRATE_KBPS * 1000 / 8;

    private static final Pattern SILENCE_START = Pattern.compile("silence_start: (-?[0-9.]+)");
    private static final Pattern SILENCE_END = Pattern.compile("silence_end: (-?[0-9.]+)");
    private static final Duration TIMEOUT = Duration.ofHours(1);

    /** ffmpeg or ffprobe ran and refused the input (e.g. a damaged file): running it again will not help. */
    public static final class Refused extends IOException {
        Refused(String message) {
            super(message);
        }
    }

    /** A stretch of silence, in seconds from the start of the recording. */
    public record Silence(double start, double end) {
        public double middle() {
            return (start + end) / 2;
        }
    }

    private final Path ffmpeg;
    private final Path ffprobe;

    public Ffmpeg(Path ffmpeg, Path ffprobe) {
        this.ffmpeg = ffmpeg;
        this.ffprobe = ffprobe;
    }

    /** ffmpeg and ffprobe from the PATH, when both are there. */
    public static Optional<Ffmpeg> onPath() {
        Optional<Path> ffmpeg = executableOnPath("ffmpeg");
        Optional<Path> ffprobe = executableOnPath("ffprobe");
        return ffmpeg.isPresent() && ffprobe.isPresent() ? Optional.of(new Ffmpeg(ffmpeg.get(), ffprobe.get())) : Optional.empty();
    }

    static Optional<Path> executableOnPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) return Optional.empty();
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isBlank()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** The recording's length in seconds. */
    public double durationSeconds(Path input) throws IOException {
        String out = run(List.of(ffprobe.toString(), "-v", "error", "-show_entries", "format=duration",
                "-of", "default=noprint_wrappers=1:nokey=1", input.toString()), true).strip();
        try {
            return Double.parseDouble(out);
        } catch (NumberFormatException e) {
            throw new Refused("ffprobe could not tell the length of the recording (it printed '" + out + "')");
        }
    }

    /** Silences of at least {@code minSeconds} quieter than {@code noiseDb} dB, in order. */
    public List<Silence> silences(Path input, double minSeconds, int noiseDb) throws IOException {
        String log = run(List.of(ffmpeg.toString(), "-hide_banner", "-nostats", "-nostdin", "-i", input.toString(),
                "-vn", "-ac", "1", "-af", String.format(Locale.ROOT, "silencedetect=noise=%ddB:d=%.2f", noiseDb, minSeconds),
                "-f", "null", "-"), false);
        List<Silence> silences = new ArrayList<>();
        Double start = null;
        for (String line : log.split("\n")) {
            Matcher s = SILENCE_START.matcher(line);
            if (s.find()) start = Math.max(0, Double.parseDouble(s.group(1)));
            Matcher e = SILENCE_END.matcher(line);
            if (e.find() && start != null) {
                silences.add(new Silence(start, Double.parseDouble(e.group(1))));
                start = null;
            }
        }
        return silences;
    }

    /**
     * Encodes {@code seconds} of the recording from {@code start} (all of it when {@code seconds} is
     * null) as speech-sized MP3 into {@code output}.
     */
    public void encodeSpeech(Path input, double start, Double seconds, Path output) throws IOException {
        List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostats", "-nostdin", "-y"));
        if (start > 0) command.addAll(List.of("-ss", String.format(Locale.ROOT, "%.3f", start)));
        if (seconds != null) command.addAll(List.of("-t", String.format(Locale.ROOT, "%.3f", seconds)));
        command.addAll(List.of("-i", input.toString(), "-vn", "-map_metadata", "-1", "-ac", "1", "-ar", "16000",
                "-c:a", "libmp3lame", "-b:a", SPEECH_BITRATE_KBPS + "k", output.toString()));
        run(command, false);
    }

    /** The 16 kHz mono 16-bit WAV that whisper.cpp reads. */
    public void encodeWav16k(Path input, Path output) throws IOException {
        run(List.of(ffmpeg.toString(), "-hide_banner", "-nostats", "-nostdin", "-y", "-i", input.toString(), "-vn",
                "-ac", "1", "-ar", "16000", "-c:a", "pcm_s16le", output.toString()), false);
    }

    /** Runs the command; returns its stdout (or, with {@code wantStdout} false, its stderr, where ffmpeg logs). */
    private static String run(List<String> command, boolean wantStdout) throws IOException {
        Process process = new ProcessBuilder(command)
                .redirectOutput(wantStdout ? ProcessBuilder.Redirect.PIPE : ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.PIPE)
                .start();
        process.getOutputStream().close();
        Thread.Builder reader = Thread.ofVirtual();
        StringBuilder stdout = new StringBuilder();
        StringBuilder stderr = new StringBuilder();
        Thread out = wantStdout ? reader.start(() -> drain(process.getInputStream(), stdout)) : null;
        Thread err = reader.start(() -> drain(process.getErrorStream(), stderr));
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IOException(command.getFirst() + " did not finish within " + TIMEOUT.toMinutes() + " minutes");
            }
            if (out != null) out.join();
            err.join();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.getFirst(), e);
        }
        if (process.exitValue() != 0) {
            throw new Refused(Path.of(command.getFirst()).getFileName() + " failed (exit " + process.exitValue() + "): "
                    + lastLines(stderr.toString(), 3));
        }
        return wantStdout ? stdout.toString() : stderr.toString();
    }

    private static void drain(InputStream in, StringBuilder into) {
        try (in) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (into) {
                into.append(text);
            }
        } catch (IOException ignored) {
            // the process died; its exit status tells what happened
        }
    }

    static String lastLines(String text, int n) {
        List<String> lines = text.strip().lines().toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }
}

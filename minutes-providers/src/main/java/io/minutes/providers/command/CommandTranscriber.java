package io.minutes.providers.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.minutes.core.domain.Failure;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Segment;
import io.minutes.core.ingest.IngestResult;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.io.TemporaryFolders;
import io.minutes.core.port.TranscriberException;
import io.minutes.providers.audio.Ffmpeg;
import io.minutes.providers.audio.FileTranscriber;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Transcribes on this machine by running a program from a command template, e.g.
 * {@code whisper-cli -m ggml-base.en.bin -f {wav} -oj -of {output}}. The template is split into
 * arguments like a shell would (quotes group, no shell runs), then the placeholders are filled:
 *
 * <pre>
 * {input}       the recording as the user gave it (mp3, wav, m4a, ...)
 * {wav}         the recording as 16 kHz mono 16-bit WAV, what whisper.cpp reads (made with ffmpeg)
 * {output}      where the program writes its result, without extension: Minutes reads {output}.json,
 *               .srt, .vtt or .txt, whichever exists (whisper-cli -oj / -osrt / -ovtt / -otxt -of {output})
 * {output_dir}  the fresh, private folder {output} is in, deleted once the output is read
 * </pre>
 *
 * When no such file appears, the program's standard output is read (whisper-cli's
 * {@code [00:00:00.000 --> 00:00:04.000]  text} lines, SRT, WebVTT or text). JSON may be whisper.cpp's
 * ({@code transcription[].offsets} in ms) or OpenAI-style ({@code segments[].start/end} in s).
 */
public final class CommandTranscriber implements FileTranscriber {
    static final List<String> PLACEHOLDERS = List.of("{input}", "{wav}", "{output}", "{output_dir}");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{[a-z_]+}");
    private static final Pattern WHISPER_LINE = Pattern.compile(
            "^\\s*\\[(\\d+:\\d{2}:\\d{2}[.,]\\d{3}) --> (\\d+:\\d{2}:\\d{2}[.,]\\d{3})]\\s*(.*)$");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Ingestor PARSERS = new Ingestor(0);

    private final String template;
    private final List<String> arguments;
    private final Optional<Ffmpeg> ffmpeg;
    private final Duration timeout;

    /** @throws IllegalArgumentException when the template is empty, unbalanced, or names an unknown placeholder */
    public CommandTranscriber(String template, Optional<Ffmpeg> ffmpeg, Duration timeout) {
        this.template = template;
        this.arguments = split(template);
        this.ffmpeg = ffmpeg;
        this.timeout = timeout;
        if (arguments.isEmpty()) throw new IllegalArgumentException("the command template is empty");
        for (String argument : arguments) {
            Matcher m = PLACEHOLDER.matcher(argument);
            while (m.find()) {
                if (!PLACEHOLDERS.contains(m.group())) {
                    throw new IllegalArgumentException("unknown placeholder " + m.group() + " in '" + template
                            + "'; known: " + String.join(" ", PLACEHOLDERS));
                }
            }
        }
        if (arguments.stream().noneMatch(a -> a.contains("{input}") || a.contains("{wav}"))) {
            throw new IllegalArgumentException("the command template '" + template + "' must pass the recording as {input} or {wav}");
        }
    }

    @Override
    public String name() {
        return "command " + Path.of(arguments.getFirst()).getFileName();
    }

    @Override
    public Heard transcribe(Path file, MediaFormat format, String source) throws TranscriberException {
        Path outputDir;
        try {
            outputDir = Files.createTempDirectory("minutes-command-");
        } catch (IOException e) {
            throw new TranscriberException(Failure.of(Failure.Cause.LOCAL_TRANSIENT, source + ": cannot make a folder for the transcriber: " + e.getMessage()), e);
        }
        try {
            return transcribe(file, source, outputDir);
        } finally {
            TemporaryFolders.deleteQuietly(outputDir);
        }
    }

    private Heard transcribe(Path file, String source, Path outputDir) throws TranscriberException {
        Path output = outputDir.resolve("transcript");
        Path wav = needs("{wav}") ? wav(file, outputDir, source) : null;
        List<String> command = new ArrayList<>();
        for (String argument : arguments) {
            command.add(argument.replace("{input}", file.toString())
                    .replace("{wav}", wav == null ? "" : wav.toString())
                    .replace("{output_dir}", outputDir.toString())
                    .replace("{output}", output.toString()));
        }
        Path stdout = outputDir.resolve("stdout.txt");
        Path stderr = outputDir.resolve("stderr.txt");
        run(command, outputDir, stdout, stderr, source);
        return read(output, stdout, source);
    }

    private boolean needs(String placeholder) {
        return arguments.stream().anyMatch(a -> a.contains(placeholder));
    }

    private Path wav(Path file, Path outputDir, String source) throws TranscriberException {
        Ffmpeg tool = ffmpeg.orElseThrow(() -> new TranscriberException(Failure.permanent(source
                + ": the transcriber command uses {wav}, which needs ffmpeg, and ffmpeg is not installed: " + Ffmpeg.INSTALL_HINT)));
        Path wav = outputDir.resolve("recording-16k.wav");
        try {
            tool.encodeWav16k(file, wav);
        } catch (IOException e) {
            throw new TranscriberException(Failure.of(Failure.Cause.INPUT, source + ": cannot convert the recording to WAV: " + e.getMessage()), e);
        }
        return wav;
    }

    private void run(List<String> command, Path workDir, Path stdout, Path stderr, String source) throws TranscriberException {
        Process process;
        try {
            process = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
            process.getOutputStream().close();
        } catch (IOException e) {
            throw new TranscriberException(Failure.permanent(source + ": cannot run '" + command.getFirst()
                    + "' (" + e.getMessage() + "); check transcriber-command ('" + template + "')"), e);
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new TranscriberException(Failure.of(Failure.Cause.TIMEOUT, source + ": the transcriber command did not finish within "
                        + timeout.toMinutes() + " min; it was stopped"));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new TranscriberException(Failure.of(Failure.Cause.INTERRUPTED, source + ": interrupted while transcribing"), e);
        }
        if (process.exitValue() != 0) {
            throw new TranscriberException(Failure.permanent(source + ": the transcriber command '" + command.getFirst()
                    + "' failed (exit " + process.exitValue() + "): " + tail(stderr)));
        }
    }

    private Heard read(Path output, Path stdout, String source) throws TranscriberException {
        try {
            for (String extension : List.of("json", "srt", "vtt", "txt")) {
                Path file = output.resolveSibling(output.getFileName() + "." + extension);
                if (Files.isRegularFile(file)) return parse(file.getFileName().toString(), Files.readAllBytes(file), source);
            }
            if (Files.isRegularFile(output)) return parse("transcript.txt", Files.readAllBytes(output), source);
            String printed = Files.readString(stdout, StandardCharsets.UTF_8);
            if (printed.isBlank()) {
                throw new TranscriberException(Failure.permanent(source + ": the transcriber command wrote no {output} file and printed "
                        + "nothing; let it write to {output} (whisper-cli: -oj -of {output})"));
            }
            return parse("stdout.txt", whisperLinesAsVtt(printed).getBytes(StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new TranscriberException(Failure.of(Failure.Cause.LOCAL_TRANSIENT, source + ": cannot read the transcriber's output: " + e.getMessage()), e);
        }
    }

    private static Heard parse(String name, byte[] bytes, String source) throws TranscriberException, IOException {
        if (name.endsWith(".json")) return json(bytes, source);
        return switch (PARSERS.ingest(name, bytes)) {
            case IngestResult.Ready ready -> new Heard(ready.transcript().segments(), null);
            case IngestResult.Skipped skipped -> new Heard(List.of(), null);
            case IngestResult.Unreadable bad -> throw new TranscriberException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, source
                    + ": the transcriber's output could not be read: " + bad.message()));
            case IngestResult.Audio audio -> throw new TranscriberException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, source
                    + ": the transcriber's output is audio, not a transcript"));
        };
    }

    private static Heard json(byte[] bytes, String source) throws TranscriberException, IOException {
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new TranscriberException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, source + ": the transcriber's JSON output is not JSON: " + e.getMessage()));
        }
        List<Segment> segments = new ArrayList<>();
        if (root.path("transcription").isArray()) { // whisper.cpp -oj
            for (JsonNode s : root.path("transcription")) {
                segments.add(new Segment(null, s.path("offsets").path("from").asDouble() / 1000.0,
                        s.path("offsets").path("to").asDouble() / 1000.0, s.path("text").asText("").strip()));
            }
        } else if (root.path("segments").isArray()) { // OpenAI verbose_json, faster-whisper scripts
            for (JsonNode s : root.path("segments")) {
                segments.add(new Segment(null, s.path("start").asDouble(), s.path("end").asDouble(), s.path("text").asText("").strip()));
            }
        } else if (root.path("text").isTextual()) {
            segments.add(Segment.of(null, root.path("text").asText().strip()));
        } else {
            throw new TranscriberException(Failure.of(Failure.Cause.UNUSABLE_ANSWER, source + ": the transcriber's JSON has neither 'transcription' "
                    + "(whisper.cpp), 'segments' nor 'text'"));
        }
        return new Heard(segments, null);
    }

    /** whisper-cli prints {@code [00:00:00.000 --> 00:00:04.000]  text}; as WebVTT the existing parser reads it. */
    static String whisperLinesAsVtt(String printed) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n\n");
        boolean any = false;
        for (String line : printed.lines().toList()) {
            Matcher m = WHISPER_LINE.matcher(line);
            if (!m.matches()) continue;
            any = true;
            vtt.append(m.group(1).replace(',', '.')).append(" --> ").append(m.group(2).replace(',', '.')).append('\n')
                    .append(m.group(3).strip()).append("\n\n");
        }
        return any ? vtt.toString() : printed;
    }


    private static String tail(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            List<String> lines = text.lines().toList();
            String last = String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
            return last.isEmpty() ? "(it printed nothing on stderr)" : last;
        } catch (IOException e) {
            return "(its stderr could not be read)";
        }
    }

    /** Splits like a POSIX shell: whitespace separates, single and double quotes group, backslash escapes. */
    static List<String> split(String template) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (c == '\\' && quote == '"' && i + 1 < template.length()) current.append(template.charAt(++i));
                else current.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < template.length()) {
                current.append(template.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) out.add(current.toString());
                current.setLength(0);
                inWord = false;
            } else {
                current.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new IllegalArgumentException("unbalanced " + quote + " quote in the command template '" + template + "'");
        if (inWord) out.add(current.toString());
        return out;
    }
}

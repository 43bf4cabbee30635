package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.Settings;
import io.minutes.core.analysis.LocalAnalyzer;
import io.minutes.core.engine.EngineSettings;
import io.minutes.core.engine.RetryPolicy;
import io.minutes.core.ingest.Ingestor;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.port.Analyzer;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.providers.audio.AudioTranscriber;
import io.minutes.providers.audio.Ffmpeg;
import io.minutes.providers.command.CommandTranscriber;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiTranscriber;
import io.minutes.store.blob.FolderBlobStore;
import io.minutes.core.port.MeetingStore;
import io.minutes.providers.sim.SimAnalyzer;
import io.minutes.store.sqlite.SqliteMeetingStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Optional;

/** The composition root: the only place that picks implementations for the ports. */
public final class Wiring {
    private Wiring() {
    }

    public static Analyzer analyzer(Config config) {
        return switch (config.get(Settings.PROVIDER)) {
            case "sim" -> new SimAnalyzer(new SimAnalyzer.Settings(
                    Duration.ofMillis(config.get(Settings.SIM_LATENCY_MS)), config.get(Settings.SIM_ERROR_RATE),
                    System.nanoTime()));
            default -> new LocalAnalyzer();
        };
    }

    /**
     * The transcriber for recordings, wrapped in the converter/splitter that keeps uploads under
     * upload-limit.
     *
     * @throws IllegalArgumentException naming the setting when the transcriber settings do not fit together
     */
    public static Transcriber transcriber(Config config) {
        Optional<Ffmpeg> ffmpeg = Ffmpeg.onPath();
        long limit = config.get(Settings.UPLOAD_LIMIT);
        return switch (config.get(Settings.TRANSCRIBER)) {
            case "openai" -> {
                String model = config.get(Settings.TRANSCRIBER_MODEL);
                String key = System.getenv("OPENAI_API_KEY");
                ProviderHttp http = new ProviderHttp("openai", key, "set OPENAI_API_KEY", ProviderHttp.Timeouts.DEFAULT,
                        RateLimitObserver.NONE, java.time.Clock.systemUTC());
                yield new AudioTranscriber("openai", new OpenAiTranscriber(http, config.get(Settings.TRANSCRIBER_BASE_URL), model, key),
                        ffmpeg, limit, OpenAiTranscriber.maxSecondsFor(model), OpenAiTranscriber.ACCEPTED);
            }
            case "command" -> {
                String template = config.get(Settings.TRANSCRIBER_COMMAND);
                if (template.isBlank()) {
                    throw new IllegalArgumentException("setting 'transcriber' is command but 'transcriber-command' is empty: give the "
                            + "program to run, e.g. --transcriber-command 'whisper-cli -m ggml-base.bin -f {wav} -oj -of {output}'");
                }
                CommandTranscriber command;
                try {
                    command = new CommandTranscriber(template, ffmpeg, COMMAND_TIMEOUT);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("setting 'transcriber-command': " + e.getMessage(), e);
                }
                yield new AudioTranscriber("command", command, ffmpeg, Long.MAX_VALUE, Double.POSITIVE_INFINITY,
                        EnumSet.complementOf(VIDEO));
            }
            default -> new NoTranscriber();
        };
    }

    private static final Duration COMMAND_TIMEOUT = Duration.ofHours(2);
    private static final EnumSet<MediaFormat> VIDEO = EnumSet.of(MediaFormat.WEBM, MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV);

    /** Where recordings wait for transcription: blob-dir, or "blobs" beside the database. */
    public static BlobStore blobStore(Config config) {
        Path dir = config.get(Settings.BLOB_DIR);
        if (dir == null) {
            Path db = config.get(Settings.DB).toAbsolutePath();
            dir = db.getParent() == null ? Path.of("blobs") : db.getParent().resolve("blobs");
        }
        return new FolderBlobStore(dir);
    }

    public static MeetingStore store(Config config) {
        return SqliteMeetingStore.open(config.get(Settings.DB));
    }

    public static EngineSettings engineSettings(Config config) {
        return new EngineSettings(config.get(Settings.CONCURRENCY), config.get(Settings.LEASE),
                EngineSettings.DEFAULT_IDLE_POLL);
    }

    public static RetryPolicy retryPolicy(Config config) {
        return RetryPolicy.builder()
                .maxAttempts(config.get(Settings.MAX_ATTEMPTS))
                .baseDelay(config.get(Settings.RETRY_BASE_DELAY))
                .maxDelay(config.get(Settings.RETRY_MAX_DELAY))
                .build();
    }

    public static Ingestor ingestor(Config config) {
        return new Ingestor(config.get(Settings.MIN_TRANSCRIPT_CHARS));
    }

    public static void configureLogging(Config config) {
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger)
                org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(ch.qos.logback.classic.Level.toLevel(config.get(Settings.LOG_LEVEL)));
    }
}

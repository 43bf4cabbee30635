package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.DbLocation;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.Settings;
import io.minutes.core.domain.MediaFormat;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.ThrottledCalls;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.providers.ProviderAnalyzers;
import io.minutes.providers.audio.AudioTranscriber;
import io.minutes.providers.audio.Ffmpeg;
import io.minutes.providers.command.CommandTranscriber;
import io.minutes.providers.http.ProviderHttp;
import io.minutes.providers.openai.OpenAiTranscriber;
import io.minutes.store.blob.FolderBlobStore;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The composition root's part for recordings: which transcriber, and where recordings wait. */
public final class AudioWiring {
    static final String OPENAI_BASE_URL = ProviderAnalyzers.OPENAI_BASE_URL;
    /** Sending 25 MB and transcribing it takes longer than a chat answer: request-timeout, but at least this. */
    private static final Duration MIN_TRANSCRIPTION_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration COMMAND_TIMEOUT = Duration.ofHours(2);
    private static final EnumSet<MediaFormat> VIDEO = EnumSet.of(MediaFormat.WEBM, MediaFormat.MP4, MediaFormat.MOV, MediaFormat.MKV);

    private AudioWiring() {
    }

    /**
     * The transcriber the transcriber setting names, wrapped in the converter/splitter that keeps each
     * upload under upload-limit.
     *
     * @param env where the API key is read from
     * @throws ConfigException naming the settings when they do not fit together
     */
    public static Transcriber transcriber(Config config, Map<String, String> env) throws ConfigException {
        return transcriber(config, env, RateLimitObserver.NONE, CallAdmission.NONE);
    }

    /**
     * The transcriber, for settings already checked with {@link #transcriber(Config, Map)}: each file it
     * sends is admitted by {@code throttle} (see {@link Wiring#transcriptionThrottle}), and every answer's
     * rate-limit headers and 429s are told to it; store failures of its shared buckets go to {@code outage}.
     */
    public static Transcriber transcriberChecked(Config config, Throttle throttle, StoreOutage outage) {
        try {
            return transcriber(config, System.getenv(), RateLimitObserver.neverFailing(throttle, Wiring.reportingTo(outage)),
                    new ThrottledCalls(throttle, Wiring.reportingTo(outage)));
        } catch (ConfigException e) {
            throw new IllegalStateException("transcriber settings were checked at start-up: " + e.getMessage(), e);
        }
    }

    /**
     * The name the transcription service's rate limits are kept under, apart from the analyzer's even when
     * both are the same provider (OpenAI limits each model on its own): "openai transcription".
     */
    public static String transcriptionProvider(Config config) {
        return config.get(Settings.TRANSCRIBER) + " transcription";
    }

    /** The same, reporting to {@code observer} and admitted by {@code admission} file by file. */
    static Transcriber transcriber(Config config, Map<String, String> env, RateLimitObserver observer,
                                           CallAdmission admission) throws ConfigException {
        Optional<Ffmpeg> ffmpeg = Ffmpeg.onPath();
        return switch (config.get(Settings.TRANSCRIBER)) {
            case "openai" -> {
                String model = config.get(Settings.TRANSCRIBER_MODEL);
                String baseUrl = config.get(Settings.TRANSCRIBER_BASE_URL);
                if (baseUrl.equals(Settings.AUTO)) baseUrl = OPENAI_BASE_URL;
                // --api-key-env names the analyzer's key; it is the transcriber's too when both are openai
                String keyEnv = ProviderAnalyzers.OPENAI.equals(config.get(Settings.PROVIDER)) ? Wiring.apiKeyEnv(config) : "OPENAI_API_KEY";
                String key = env.get(keyEnv);
                if (key != null && key.isBlank()) key = null;
                if (key == null && baseUrl.equals(OPENAI_BASE_URL)) {
                    throw new ConfigException(List.of("transcriber openai needs an API key for " + baseUrl + ": set " + keyEnv
                            + ", or give --transcriber-base-url for a server that needs none (faster-whisper, vLLM)"));
                }
                Duration request = max(config.get(Settings.REQUEST_TIMEOUT), MIN_TRANSCRIPTION_TIMEOUT);
                ProviderHttp http = new ProviderHttp(transcriptionProvider(config), key, "set " + keyEnv + " to a valid key",
                        new ProviderHttp.Timeouts(config.get(Settings.CONNECT_TIMEOUT), request), observer, Clock.systemUTC());
                yield new AudioTranscriber("openai", new OpenAiTranscriber(http, baseUrl, model, key, config.get(Settings.PRICES)), ffmpeg,
                        config.get(Settings.UPLOAD_LIMIT), OpenAiTranscriber.maxSecondsFor(model), OpenAiTranscriber.ACCEPTED, admission);
            }
            case "command" -> {
                String template = config.get(Settings.TRANSCRIBER_COMMAND);
                if (template.isBlank()) {
                    throw new ConfigException(List.of("setting 'transcriber' is command but 'transcriber-command' is empty: give the "
                            + "program to run, e.g. --transcriber-command 'whisper-cli -m ggml-base.bin -f {wav} -oj -of {output}'"));
                }
                CommandTranscriber command;
                try {
                    command = new CommandTranscriber(template, ffmpeg, COMMAND_TIMEOUT);
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(List.of("setting 'transcriber-command': " + e.getMessage()));
                }
                yield new AudioTranscriber("command", command, ffmpeg, Long.MAX_VALUE, Double.POSITIVE_INFINITY,
                        EnumSet.complementOf(VIDEO), admission);
            }
            default -> new NoTranscriber();
        };
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /**
     * Where recordings wait for transcription: blob-dir (a folder, shared by every node when it is on
     * a shared disk), else the database when every node reads it (PostgreSQL), else "blobs" beside
     * the SQLite file.
     */
    public static BlobStore blobStore(Config config, StoreBackend backend) {
        Path dir = config.get(Settings.BLOB_DIR);
        if (dir != null) return new FolderBlobStore(dir);
        return backend.sharedBlobs().orElseGet(() -> {
            Path db = config.get(Settings.DB) instanceof DbLocation.SqliteFile sqlite
                    ? sqlite.file().toAbsolutePath() : Path.of("minutes.db").toAbsolutePath();
            return new FolderBlobStore(db.getParent() == null ? Path.of("blobs") : db.getParent().resolve("blobs"));
        });
    }
}

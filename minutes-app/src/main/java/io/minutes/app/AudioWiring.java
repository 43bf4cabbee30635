package io.minutes.app;

import io.minutes.app.config.Config;
import io.minutes.app.config.DbLocation;
import io.minutes.app.config.ConfigException;
import io.minutes.app.config.TranscriberSection;
import io.minutes.app.config.Settings;
import io.minutes.core.engine.StoreOutage;
import io.minutes.core.engine.Throttle;
import io.minutes.core.engine.ThrottledCalls;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.CallAdmission;
import io.minutes.core.port.RateLimitObserver;
import io.minutes.core.port.Transcriber;
import io.minutes.store.blob.FolderBlobStore;

import java.nio.file.Path;
import java.util.Map;

/** The composition root's part for recordings: which transcriber, and where recordings wait. */
public final class AudioWiring {
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
     * The name the transcription service's rate limits are kept under, apart from the analyzer's even when
     * both are the same provider (OpenAI limits each model on its own): "openai transcription".
     */
    public static String transcriptionProvider(Config config) {
        return TranscriberSection.of(config).throttleName();
    }

    /** The same, reporting to {@code observer} and admitted by {@code admission} file by file. */
    static Transcriber transcriber(Config config, Map<String, String> env, RateLimitObserver observer,
                                           CallAdmission admission) throws ConfigException {
        return TranscriberSection.of(config).transcriber(env, observer, admission).orElseGet(NoTranscriber::new);
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

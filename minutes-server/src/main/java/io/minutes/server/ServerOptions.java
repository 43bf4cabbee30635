package io.minutes.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's limits. {@code uploadDir} is where multipart uploads are spooled to disk while they
 * are read; {@code processTimeout} the longest a synchronous process call waits. {@code analyzer}: who
 * answers the meetings (provider, model, analysis version, redaction), as deduplication compares batches.
 */
public record ServerOptions(String host, int port, int maxBatchMeetings, long maxUploadBytes, int maxQueuedMeetings,
                            Duration processTimeout, Path uploadDir, String provider, String analyzer) {
    /** With the provider's name as its analyzer identity. */
    public ServerOptions(String host, int port, int maxBatchMeetings, long maxUploadBytes, int maxQueuedMeetings,
                         Duration processTimeout, Path uploadDir, String provider) {
        this(host, port, maxBatchMeetings, maxUploadBytes, maxQueuedMeetings, processTimeout, uploadDir, provider, provider);
    }

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH_MEETINGS = 1_000;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 500_000_000L;
    public static final int DEFAULT_MAX_QUEUED_MEETINGS = 10_000;
    public static final Duration DEFAULT_PROCESS_TIMEOUT = Duration.ofSeconds(120);
}

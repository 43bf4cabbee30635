package io.minutes.server;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The service's limits. {@code uploadDir} is where multipart uploads are spooled to disk while they
 * are read; {@code processTimeout} the longest a synchronous process call waits. {@code analyzer}: who
 * answers the meetings (provider, model, analysis version, redaction), as deduplication compares batches.
 */
public record ServerOptions(String host, int port, int maxBatchMeetings, long maxUploadBytes, int maxQueuedMeetings,
                            Duration processTimeout, Path uploadDir, String provider, String analyzer,
                            Duration requestHeaderTimeout) {
    /**
     * A request's headers must arrive within this time of the connection opening or of its previous request
     * ending (slow clients that dribble bytes are closed).
     */
    public static final Duration DEFAULT_REQUEST_HEADER_TIMEOUT = Duration.ofSeconds(20);
    /** A JSON body is parsed whole: larger batches go as file uploads, which are streamed to disk. */
    public static final long MAX_JSON_BYTES = 32L * 1024 * 1024;
    /** JSON bodies parsed at once; more wait their turn, so memory stays bounded whatever the clients send. */
    public static final int MAX_JSON_BODIES_AT_ONCE = 4;
    /** Request bodies slower than this are cut (408). */
    public static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;

    /** The most a JSON body may hold: max-upload-bytes, and never more than {@link #MAX_JSON_BYTES}. */
    public long maxJsonBytes() {
        return Math.min(maxUploadBytes, MAX_JSON_BYTES);
    }

    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_MAX_BATCH_MEETINGS = 1_000;
    public static final long DEFAULT_MAX_UPLOAD_BYTES = 500_000_000L;
    public static final int DEFAULT_MAX_QUEUED_MEETINGS = 10_000;
    public static final Duration DEFAULT_PROCESS_TIMEOUT = Duration.ofSeconds(120);
}

package io.minutes.core.ingest;

/**
 * What a ZIP archive may expand to before it is refused: at most {@code maxEntries} entries (folders and passed-over
 * files count too), at most {@code maxUnzippedBytes} in all, and no entry over {@link #RATIO_FLOOR} bytes that
 * unzips to more than {@link #MAX_COMPRESSION_RATIO} times its compressed size.
 */
public record ZipLimits(int maxEntries, long maxUnzippedBytes) {

    public static final int DEFAULT_MAX_ENTRIES = 1_000;
    public static final long DEFAULT_MAX_UNZIPPED_BYTES = 1L << 30;
    public static final int MAX_COMPRESSION_RATIO = 100;
    /** Small files of repeated text compress very well and are harmless; the ratio counts above this size. */
    public static final long RATIO_FLOOR = 1L << 20;

    public ZipLimits {
        if (maxEntries < 1) throw new IllegalArgumentException("maxEntries must be >= 1, was " + maxEntries);
        if (maxUnzippedBytes < 1) throw new IllegalArgumentException("maxUnzippedBytes must be >= 1, was " + maxUnzippedBytes);
    }

    public static ZipLimits ofDefaults() {
        return new ZipLimits(DEFAULT_MAX_ENTRIES, DEFAULT_MAX_UNZIPPED_BYTES);
    }
}

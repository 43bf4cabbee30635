package io.minutes.app.config;

import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.ZipLimits;

/** The ingest section: which transcripts and archives are read, as the {@link Ingestor} and {@link ZipLimits}. */
public final class IngestSection {
    private IngestSection() {
    }

    public static final Section SECTION = Section.of("ingest", Settings.MIN_TRANSCRIPT_CHARS, Settings.MAX_TRANSCRIPT_BYTES,
            Settings.MAX_ZIP_ENTRIES, Settings.MAX_UNZIPPED_BYTES);

    public static Ingestor ingestor(Config config) {
        return new Ingestor(config.get(Settings.MIN_TRANSCRIPT_CHARS), config.get(Settings.MAX_TRANSCRIPT_BYTES));
    }

    public static ZipLimits zipLimits(Config config) {
        return new ZipLimits(config.get(Settings.MAX_ZIP_ENTRIES), config.get(Settings.MAX_UNZIPPED_BYTES));
    }
}

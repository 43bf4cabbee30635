package io.minutes.core.ingest;

import io.minutes.core.domain.MediaFormat;
import io.minutes.core.domain.Transcript;

import java.time.LocalDate;

/**
 * What reading one input gave: a transcript ready to analyse, a recording to transcribe first, a reason to
 * skip it, or why it could not be read.
 */
public sealed interface IngestResult {

    String title();

    /**
     * {@code contentHash} is a stable hash of the normalised words and speakers; {@code date} the day the meeting took
     * place when the file's own metadata says (Minutes' transcript JSON {@code "date"}), else null.
     */
    record Ready(String title, Transcript transcript, String contentHash, LocalDate date) implements IngestResult {
        public Ready(String title, Transcript transcript, String contentHash) {
            this(title, transcript, contentHash, null);
        }
    }

    /**
     * An audio or video recording, recognised by its bytes. Its content hash is the SHA-256 of all its
     * bytes, which the caller computes while it streams the file into the BlobStore.
     */
    record Audio(String title, MediaFormat format) implements IngestResult {
        public String mediaType() {
            return format.mediaType();
        }
    }

    /** Readable but nothing to analyse (empty, too short). */
    record Skipped(String title, String reason) implements IngestResult {
    }

    /** Could not be read or parsed; {@code message} names the file, the line when known, and the problem. */
    record Unreadable(String title, String message) implements IngestResult {
    }
}

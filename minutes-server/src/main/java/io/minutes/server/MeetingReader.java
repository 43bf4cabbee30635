package io.minutes.server;

import io.minutes.core.ingest.Ingestor;
import io.minutes.core.ingest.InputFile;
import io.minutes.core.ingest.PreparedBatch;
import io.minutes.core.ingest.ZipLimits;
import io.minutes.core.port.BlobStore;
import io.minutes.core.port.BatchStore.NewMeeting;

import java.nio.file.Path;
import java.util.List;

/**
 * Turns one uploaded file into the meetings it holds, the way {@code minutes run} reads a file
 * (a ZIP holds many, a recording goes to the blob store). A file that cannot be read becomes a
 * failed meeting naming the problem, never an exception.
 */
@FunctionalInterface
public interface MeetingReader {
    List<NewMeeting> read(String fileName, Path file);

    /** The reader of {@code minutes run} ({@link PreparedBatch#meetingsOf}), recordings kept in {@code blobs}. */
    static MeetingReader of(Ingestor ingestor, ZipLimits zipLimits, BlobStore blobs) {
        return (fileName, file) -> PreparedBatch.meetingsOf(new InputFile(file, fileName), ingestor, zipLimits, blobs);
    }
}
